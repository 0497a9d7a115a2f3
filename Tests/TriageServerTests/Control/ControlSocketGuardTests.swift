import Foundation
import NIOCore
import NIOPosix
import Testing
import TriageTestSupport
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct ControlSocketGuardTests {
    @Test func tellsFreeStaleLiveAndForeignPathsApart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("control.sock")
        #expect(ControlSocketGuard.inspect(path: path) == .free)

        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path).get()
        #expect(ControlSocketGuard.inspect(path: path) == .inUse)
        try await server.close()
        try? FileManager.default.removeItem(atPath: path)

        try UnixSocket.leaveStale(at: path)
        #expect(ControlSocketGuard.inspect(path: path) == .stale)
        ControlSocketGuard.removeOnShutdown(path: path)
        #expect(!FileManager.default.fileExists(atPath: path))

        let regular = try directory.write("regular", "keep me")
        #expect(ControlSocketGuard.inspect(path: regular) == .notASocket)
        ControlSocketGuard.removeOnShutdown(path: regular)
        #expect(FileManager.default.fileExists(atPath: regular))
    }
}
