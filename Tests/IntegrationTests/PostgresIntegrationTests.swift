import Foundation
import Testing
import TriageTestSupport

/// Several real `triaged` processes on one PostgreSQL database (the throwaway
/// server of scripts/with-postgres; without it these tests fail on purpose).
@Suite(.serialized) struct PostgresIntegrationTests {
    struct NoServer: Error, CustomStringConvertible {
        var description: String { "TRIAGE_TEST_POSTGRES_URL is not set: run the tests through `make test` or scripts/with-postgres" }
    }

    /// A new database on the test server; its URL.
    static func freshDatabase(in directory: TemporaryDirectory) async throws -> String {
        guard let admin = ProcessInfo.processInfo.environment["TRIAGE_TEST_POSTGRES_URL"] else { throw NoServer() }
        let name = "triage_it_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = try await psql(admin, "CREATE DATABASE \(name)", in: directory)
        #expect(created.exitCode == 0, "\(created.standardError)")
        return admin.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    static func psql(_ url: String, _ sql: String, in directory: TemporaryDirectory) async throws -> CommandResult {
        try await CommandResult.run(["/usr/bin/psql", url, "-v", "ON_ERROR_STOP=1", "-tAqc", sql], in: directory)
    }

    /// A fresh database and `count` instances on it, all ready; `cleanUpNow` in a defer.
    struct SharedDatabase {
        let scratch: TemporaryDirectory
        let url: String
        let daemons: [TestDaemon]

        static func start(instances count: Int) async throws -> SharedDatabase {
            let scratch = try TemporaryDirectory()
            var daemons: [TestDaemon] = []
            do {
                let url = try await PostgresIntegrationTests.freshDatabase(in: scratch)
                daemons = try PostgresIntegrationTests.instances(count, database: url)
                for daemon in daemons { try await daemon.waitUntilReady() }
                return SharedDatabase(scratch: scratch, url: url, daemons: daemons)
            } catch {
                daemons.forEach { $0.cleanUpNow() }
                scratch.remove()
                throw error
            }
        }

        func cleanUpNow() {
            daemons.forEach { $0.cleanUpNow() }
            scratch.remove()
        }
    }

    static func instances(_ count: Int, database: String) throws -> [TestDaemon] {
        try (0..<count).map { _ in
            try TestDaemon(environment: [
                "TRIAGE_DATABASE_URL": database, "TRIAGE_STATS_TIMEZONE": "UTC", "TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32),
            ])
        }
    }

    @Test func usersAreSharedAndConcurrentRangesAggregateEachDayOnce() async throws {
        let shared = try await SharedDatabase.start(instances: 2)
        defer { shared.cleanUpNow() }
        let scratch = shared.scratch
        let database = shared.url
        let daemons = shared.daemons
        let (a, b) = (daemons[0], daemons[1])

        // A user made through one instance logs in on the other at once.
        let token = try await a.token(user: "writer", role: "member", password: "writer-password")
        let login = try await b.send(.POST, "/api/auth/login", json: #"{"username":"writer","password":"writer-password"}"#)
        #expect(login.status == 200, "\(login.body)")
        let created = try await b.send(.POST, "/api/issues", json: #"{"title":"shared","description":"","priority":"LOW"}"#, token: token)
        #expect(created.status == 201, "\(created.body)")

        async let first = a.ctl("batch", "run", "--from", "2026-01-01", "--to", "2026-01-31", "--json")
        async let second = b.ctl("batch", "run", "--from", "2026-01-01", "--to", "2026-01-31", "--json")
        let runs = try await [first, second]
        for run in runs { #expect(run.exitCode == 0, "\(run.standardError)") }
        let outcomes = try runs.flatMap { run -> [String] in
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let days = try #require(answer["days"] as? [[String: Any]])
            return days.compactMap { $0["outcome"] as? String }
        }
        #expect(Set(outcomes).isSubset(of: ["done", "skipped"]), "\(outcomes)")

        let rows = try await Self.psql(
            database, "SELECT COUNT(*), COUNT(DISTINCT date) FROM daily_stats WHERE date BETWEEN '2026-01-01' AND '2026-01-31'", in: scratch
        )
        #expect(rows.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "31|31")

        // The run history is shared: both runs are in it, each done or skipped, naming its instance.
        let history = try await b.ctl("batch", "history", "--json")
        let recorded = try #require(try JSONSerialization.jsonObject(with: Data(history.standardOutput.utf8)) as? [[String: Any]])
        let manual = recorded.filter { $0["trigger"] as? String == "manual" }
        #expect(manual.count == 2)
        #expect(Set(manual.compactMap { $0["outcome"] as? String }).isSubset(of: ["done", "skipped"]))
        let instances = Set(manual.compactMap { ($0["instance"] as? String)?.split(separator: ":").last.map(String.init) })
        #expect(instances == Set(daemons.map { String($0.process.pid) }))
    }

    @Test func viewsAndCommentsThroughTwoInstancesAddUpExactly() async throws {
        let shared = try await SharedDatabase.start(instances: 2)
        defer { shared.cleanUpNow() }
        let scratch = shared.scratch
        let database = shared.url
        let daemons = shared.daemons
        let token = try await daemons[0].token(user: "writer", role: "member", password: "writer-password")
        let created = try await daemons[0].send(.POST, "/api/issues", json: #"{"title":"hot","description":"","priority":"LOW"}"#, token: token)
        let id = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])["id"] as? Int
        let issue = try #require(id)

        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<100 {
                let daemon = daemons[index % 2]
                group.addTask { try await daemon.send(.GET, "/api/issues/\(issue)", token: token).status }
                if index.isMultiple(of: 4) {
                    group.addTask { try await daemon.send(.POST, "/api/issues/\(issue)/comments", json: #"{"content":"c"}"#, token: token).status }
                }
            }
            for try await status in group { #expect(status == 200 || status == 201) }
        }
        let counts = try await Self.psql(database, "SELECT view_count, comment_count FROM issues WHERE id = \(issue)", in: scratch)
        #expect(counts.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "100|25")

        // The same status change sent 20 times through both instances at once is one change, recorded once.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                let daemon = daemons[index % 2]
                group.addTask { try await daemon.send(.PATCH, "/api/issues/\(issue)", json: #"{"status":"IN_PROGRESS"}"#, token: token).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let events = try await Self.psql(
            database, "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY id) FROM issue_status_events WHERE issue_id = \(issue)",
            in: scratch
        )
        #expect(events.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "->OPEN,OPEN>IN_PROGRESS")
    }

    @Test func aDatabaseFromANewerVersionRefusesToStartWith78() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let database = try await Self.freshDatabase(in: scratch)
        let first = try Self.instances(1, database: database)[0]
        try await first.waitUntilReady()
        await first.cleanUp()
        let inserted = try await Self.psql(database, "INSERT INTO triage_migrations VALUES ('9999-from-the-future', 0)", in: scratch)
        #expect(inserted.exitCode == 0, "\(inserted.standardError)")
        let refused = try Self.instances(1, database: database)[0]
        defer { refused.cleanUpNow() }
        #expect(await refused.process.waitForExit(timeout: .seconds(30)) == 78)
        #expect(refused.process.standardError.contains("9999-from-the-future"))
        #expect(!refused.notify.messages.contains { $0.text.contains("READY=1") })
    }

    static func popularEntries(_ daemon: TestDaemon) async throws -> Int? {
        let stats = try await daemon.ctl("cache", "stats", "--json")
        let caches = try JSONSerialization.jsonObject(with: Data(stats.standardOutput.utf8)) as? [[String: Any]]
        return caches?.first { $0["name"] as? String == "popular" }?["entries"] as? Int
    }

    @Test func flushesEvictionsAndRoleChangesReachTheOtherInstance() async throws {
        let shared = try await SharedDatabase.start(instances: 2)
        defer { shared.cleanUpNow() }
        let daemons = shared.daemons
        let (a, b) = (daemons[0], daemons[1])
        // Notifications are not replayed: B must be listening before A speaks.
        #expect(try await eventually { b.process.standardError.contains("listening for other instances' events") })
        let admin = try await a.token(user: "boss", role: "admin", password: "boss-password")
        let member = try await a.token(user: "writer", role: "member", password: "writer-password")

        // A flush on one instance empties the other's cache.
        #expect(try await b.send(.GET, "/api/issues/popular", token: member).status == 200)
        #expect(try await Self.popularEntries(b) == 1)
        let flush = try await a.ctl("cache", "flush", "popular")
        #expect(flush.exitCode == 0, "\(flush.standardError)")
        #expect(try await eventually { try await Self.popularEntries(b) == 0 }, "B's cache was flushed by A's command")

        // So does the eviction of a delete.
        let created = try await a.send(.POST, "/api/issues", json: #"{"title":"doomed","description":"","priority":"LOW"}"#, token: member)
        let id = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])["id"] as? Int
        #expect(try await b.send(.GET, "/api/issues/popular", token: member).body.contains("doomed"))
        #expect(try await a.send(.DELETE, "/api/issues/\(try #require(id))", token: member).status == 204)
        #expect(try await eventually { try await Self.popularEntries(b) == 0 })
        #expect(try await !b.send(.GET, "/api/issues/popular", token: member).body.contains("doomed"))

        // A demotion on A applies on B at the next request, not after B's 30 s directory re-read.
        let me = try await b.send(.GET, "/api/users/me", token: member)
        let memberId = try #require(try JSONSerialization.jsonObject(with: Data(me.body.utf8)) as? [String: Any])["id"] as? Int
        #expect(try await a.send(.PATCH, "/api/users/\(try #require(memberId))", json: #"{"role":"VIEWER"}"#, token: admin).status == 200)
        #expect(try await eventually {
            try await b.send(.POST, "/api/issues", json: #"{"title":"x","description":"","priority":"LOW"}"#, token: member).status == 403
        })
    }
}
