import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
import TriageTestSupport
@testable import TriageServer

/// The control socket's peer check over a real Unix socket, whoever runs the
/// tests: the allowed set is chosen so that the test's own uid is, or is not, in it.
@Suite(.timeLimit(.minutes(2))) struct PeerCredentialsMiddlewareTests {
    /// Serves one route behind the middleware on a socket of its own and sends it a request.
    private func answer(allowing allowed: Set<uid_t>) async throws -> String {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("control.sock")
            let router = Router(context: ControlRequestContext.self)
            router.add(middleware: ProblemMiddleware())
            router.add(middleware: PeerCredentialsMiddleware(allowing: allowed))
            router.get("/v1/probe") { _, _ in "served" }
            let (listening, announce) = AsyncStream<Void>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .unixDomainSocket(path: path)),
                onServerRunning: { _ in announce.yield() }, logger: Logger(label: "test")
            )
            let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
            let server = Task { try await group.run() }
            return try await scoped(server, cleanUp: { server in
                await group.triggerGracefulShutdown()
                _ = await server.result
            }) { _ in
                var iterator = listening.makeAsyncIterator()
                await iterator.next()
                return try await UnixSocket.exchange("GET /v1/probe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", at: path)
            }
        }
    }

    @Test func aPeerWhoseUIDIsNotAllowedIsRefusedWithItsUID() async throws {
        let stranger = getuid() == 4242 ? uid_t(4243) : uid_t(4242)
        let answer = try await answer(allowing: [stranger])
        #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer)")
        #expect(answer.contains("uid \(getuid()) may not use this control socket"), "\(answer)")
        #expect(!answer.contains("served"))
    }

    @Test func anAllowedPeerIsServed() async throws {
        let answer = try await answer(allowing: [getuid()])
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.hasSuffix("served"))
    }

    @Test func theDaemonAllowsItsOwnUserAndRoot() {
        #expect(PeerCredentialsMiddleware(ownUID: 998).allowedUIDs == [998, 0])
    }
}
