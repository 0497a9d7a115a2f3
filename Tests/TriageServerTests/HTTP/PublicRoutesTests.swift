import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ServiceLifecycle
import Testing
import TriageControlAPI
@testable import TriageServer
import TriageTestDoubles

/// A real store whose health the test decides.
private struct FakeStore: Store {
    let base: SQLiteStore
    let kind = "fake"
    let location = "memory"
    let isLocal = true
    let service: (any Service)? = nil
    var healthy = true
    var delay: Duration = .zero

    var users: any UserRepository { base.users }
    func backup(to path: String) async throws(BackupError) -> BackupCopy { try await base.backup(to: path) }
    var issues: any IssueRepository { base.issues }
    var comments: any CommentRepository { base.comments }
    var stats: any StatsRepository { base.stats }
    var externalSnapshots: any ExternalSnapshotRepository { base.externalSnapshots }

    struct Down: Error {}

    func ping() async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
        if !healthy { throw Down() }
    }

    func schemaVersion() async throws -> String { "test" }
    func close() async throws {}
}

@Suite(.timeLimit(.minutes(2))) struct PublicRoutesTests {
    /// The public router over a fixture's store wrapped so the test decides its health.
    private func withApp(
        healthy: Bool = true, delay: Duration = .zero, ready: Bool, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TrackerFixture.with(store: { FakeStore(base: $0, healthy: healthy, delay: delay) }) { fixture in
            if ready {
                fixture.application.readiness.listenerIsRunning(.http, address: "127.0.0.1:1")
                fixture.application.readiness.listenerIsRunning(.control, address: "/tmp/x.sock")
            }
            try await fixture.test(.router, test)
        }
    }

    @Test func healthzAnswersWithoutAuth() async throws {
        try await withApp(ready: false) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func readyzNeedsListenersAndAnAnsweringStore() async throws {
        try await withApp(ready: false) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == ProblemDocument.mediaType)
                #expect(response.headers[.retryAfter] == "1")
            }
        }
        try await withApp(ready: true) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        try await withApp(healthy: false, ready: true) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(buffer: response.body))
                #expect(problem.status == 503)
                #expect(problem.detail == "The database is unavailable.", "no database detail for anonymous callers")
                #expect(response.headers[.retryAfter] == "1")
            }
        }
        try await withApp(delay: .seconds(30), ready: true) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
        }
    }

    @Test func metricsSpeakPrometheusAndIncludeProcessMetrics() async throws {
        try await withApp(ready: true) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE process_resident_memory_bytes gauge"))
                #expect(text.contains("process_open_fds"))
                #expect(text.contains("process_start_time_seconds"))
            }
        }
    }

    @Test func unknownRoutesAreProblemDocuments() async throws {
        try await withApp(ready: true) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == ProblemDocument.mediaType)
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(buffer: response.body))
                #expect(problem.status == 404)
                #expect(problem.title == "Not Found")
            }
        }
    }

    /// A declared path asked with a method it does not have: 405 and the methods it has, for every route.
    @Test func aDeclaredPathWithAnUndeclaredMethodIs405WithAllow() async throws {
        try await withApp(ready: true) { client in
            let routes = PublicRoutes()
            for route in routes.all {
                let path = route.path.replacingOccurrences(of: "{id}", with: "1")
                let response = try await client.execute(uri: path, method: .init("TRACE")!)
                #expect(response.status == .methodNotAllowed, "\(route)")
                let allowed = Set(response.headers[.allow]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
                let expected = Set(routes.all.filter { $0.path == route.path }.map(\.method.rawValue))
                #expect(allowed == expected, "\(route): Allow \(allowed)")
                #expect(response.headers[.contentType] == ProblemDocument.mediaType)
            }
            let issue = try await client.execute(uri: "/api/issues/1", method: .put)
            #expect(issue.headers[.allow] == "GET, PATCH, DELETE")
            // As the router resolves them, a literal segment beats a parameter.
            #expect(try await client.execute(uri: "/api/issues/popular", method: .patch).headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/api/users/me", method: .patch).headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/api/nope", method: .trace).status == .notFound, "an undeclared path stays 404")
        }
    }
}
