import Foundation
import Testing
import TriageTestSupport

/// Several real `triaged` processes on one PostgreSQL database (the throwaway
/// server of scripts/with-postgres; without it these tests fail on purpose).
@Suite(.serialized, .timeLimit(.minutes(5))) struct PostgresIntegrationTests {
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
        try await CommandResult.run(["/usr/bin/psql", url, "-v", "ON_ERROR_STOP=1", "-tAq", "-c", sql], in: directory)
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

    @Test func usersAreSharedAndEachDayIsAggregatedOnceAcrossInstances() async throws {
        let shared = try await SharedDatabase.start(instances: 2)
        defer { shared.cleanUpNow() }
        let scratch = shared.scratch
        let database = shared.url
        let daemons = shared.daemons
        let (a, b) = (daemons[0], daemons[1])
        for daemon in daemons { try await daemon.waitUntilSchedulerSettled() }

        // A user made through one instance logs in on the other at once.
        let token = try await a.token(user: "writer", role: "member", password: "writer-password")
        let login = try await b.send(.POST, "/api/auth/login", json: #"{"username":"writer","password":"writer-password"}"#)
        #expect(login.status == 200, "\(login.body)")
        let created = try await b.send(.POST, "/api/issues", json: #"{"title":"shared","description":"","priority":"LOW"}"#, token: token)
        #expect(created.status == 201, "\(created.body)")

        let seeded = try await Self.psql(database, Self.januarySQL, in: scratch)
        #expect(seeded.exitCode == 0, "\(seeded.standardError)")
        let recount = DailyRecount.counts(
            created: try await Self.psql(database, "SELECT created_at FROM issues", in: scratch).standardOutput,
            resolutions: try await Self.psql(
                database, "SELECT issue_id || '|' || at FROM issue_status_events WHERE to_status IN ('RESOLVED', 'CLOSED')", in: scratch
            ).standardOutput,
            comments: try await Self.psql(database, "SELECT created_at FROM comments", in: scratch).standardOutput
        )

        // The batch lease held by someone else: a run skips every day and names the holder.
        let leased = try await Self.psql(
            database, "INSERT INTO batch_leases (job, holder, expires_at) VALUES ('daily-stats', 'test-holder:1', 99999999999999)", in: scratch
        )
        #expect(leased.exitCode == 0, "\(leased.standardError)")
        let refused = try await Self.runDays(b, "--date", "2026-01-10")
        #expect(refused.map(\.outcome) == ["skipped"])
        #expect(refused.map(\.error) == ["held by test-holder:1"])
        #expect(try await Self.psql(database, "SELECT COUNT(*) FROM daily_stats WHERE date LIKE '2026-01-%'", in: scratch).trimmed == "0")
        _ = try await Self.psql(database, "DELETE FROM batch_leases WHERE holder = 'test-holder:1'", in: scratch)

        // One day locked by another connection: only that day is skipped, naming the holder.
        let dayHolder = try ChildProcess(
            "/usr/bin/psql", [database, "-c", "BEGIN", "-c", "SELECT pg_advisory_xact_lock(1953655137, \(Self.dayNumber("2026-01-15")))",
                              "-c", "SELECT pg_sleep(600)"],
            environment: ["PATH": "/usr/bin:/bin", "PGAPPNAME": "test-day-holder"], directory: scratch.path, name: "day-holder"
        )
        defer { dayHolder.killNow() }
        #expect(try await eventually {
            try await Self.psql(database, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = \(Self.dayNumber("2026-01-15"))", in: scratch).trimmed == "1"
        }, "the test connection holds the day's lock")
        let aroundTheLock = try await Self.runDays(a, "--from", "2026-01-14", "--to", "2026-01-16")
        #expect(aroundTheLock.map(\.outcome) == ["done", "skipped", "done"])
        #expect(aroundTheLock[1].error == "held by test-day-holder")
        #expect(try await Self.psql(database, "SELECT string_agg(date, ',' ORDER BY date) FROM daily_stats WHERE date LIKE '2026-01-%'", in: scratch).trimmed
            == "2026-01-14,2026-01-16", "the skipping side wrote nothing for the held day")
        _ = try await Self.psql(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'test-day-holder'", in: scratch)
        _ = await dayHolder.waitForExit(timeout: .seconds(10))

        // Both instances at once over the whole month: every day ends up with one row,
        // equal to the recount, and each instance's run is recorded under its name.
        async let first = Self.runDays(a, "--from", "2026-01-01", "--to", "2026-01-31")
        async let second = Self.runDays(b, "--from", "2026-01-01", "--to", "2026-01-31")
        let runs = try await [first, second]
        for run in runs { #expect(Set(run.map(\.outcome)).isSubset(of: ["done", "skipped"]), "\(run)") }
        let rows = DailyRecount.rows(try await Self.psql(
            database, "SELECT date, created_count, resolved_count, comment_count FROM daily_stats WHERE date LIKE '2026-01-%'", in: scratch
        ).standardOutput)
        #expect(rows.keys.sorted() == DailyRecount.days(from: "2026-01-01", count: 31))
        for (date, counts) in rows {
            #expect(counts == recount[date, default: [0, 0, 0]], "\(date): aggregated \(counts), recounted \(recount[date, default: [0, 0, 0]])")
        }
        #expect(rows.values.map { $0[0] }.reduce(0, +) == 3000, "every seeded issue is counted once")

        let history = try await b.ctl("batch", "history", "--json")
        let recorded = try TestDaemon.json(history.standardOutput, as: [[String: Any]].self)
        let manual = recorded.filter { $0["trigger"] as? String == "manual" }
        #expect(manual.count == 4)
        #expect(manual.compactMap { $0["outcome"] as? String }.filter { $0 == "skipped" }.count >= 1, "the leased run")
        let instances = Set(manual.compactMap { ($0["instance"] as? String)?.split(separator: ":").last.map(String.init) })
        #expect(instances == Set(daemons.map { String($0.process.pid) }))

        // Today's live row on PostgreSQL (#17): the issue made above, resolved then closed, and a comment.
        let id = try #require(created.body.firstMatch(of: /"id":(\d+)/).map { String($0.output.1) })
        for status in ["RESOLVED", "CLOSED"] {
            #expect(try await a.send(.PATCH, "/api/issues/\(id)", json: #"{"status":"\#(status)"}"#, token: token).status == 200)
        }
        #expect(try await a.send(.POST, "/api/issues/\(id)/comments", json: #"{"content":"c"}"#, token: token).status == 201)
        let live = try await b.ctl("stats", "--days", "1", "--json")
        let today = try #require((try TestDaemon.json(live.standardOutput)["days"] as? [[String: Any]])?.last, "\(live.standardOutput)")
        #expect(today["partial"] as? Bool == true)
        #expect([today["createdCount"], today["resolvedCount"], today["commentCount"]].map { $0 as? Int } == [1, 1, 1], "\(today)")
    }

    /// A `batch run` through `daemon`; its days, in order.
    static func runDays(_ daemon: TestDaemon, _ arguments: String...) async throws -> [(date: String, outcome: String, error: String?)] {
        let run = try await CommandResult.run(
            [Binaries.triagectl, "batch", "run"] + arguments + ["--json", "--socket", daemon.socketPath], in: daemon.directory
        )
        #expect(run.exitCode == 0, "\(run.standardError)")
        let days = try #require(try TestDaemon.json(run.standardOutput)["days"] as? [[String: Any]])
        return days.map { ($0["date"] as? String ?? "?", $0["outcome"] as? String ?? "?", $0["error"] as? String) }
    }

    /// Days since 1970-01-01: the second half of a day's advisory lock key.
    static func dayNumber(_ date: String) -> Int {
        Int((ISO8601DateFormatter().date(from: date + "T00:00:00Z")?.timeIntervalSince1970 ?? 0) / 86_400)
    }

    /// January 2026: 3,000 issues, resolutions (some RESOLVED then CLOSED on one day) and comments.
    static let januarySQL = """
        INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1000, 'seed', 'x', 'MEMBER', 0);
        INSERT INTO issues (title, description, status, priority, reporter_id, created_at, updated_at)
        SELECT 't', '', 'OPEN', 'LOW', 1000, 1767225600000 + (i::bigint * 7919000) % 2678400000 + i % 1000, 0 FROM generate_series(1, 3000) AS i;
        INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
        SELECT id, 'OPEN', CASE WHEN id % 2 = 0 THEN 'RESOLVED' ELSE 'CLOSED' END, created_at + 3600000 * (id % 30), 1000 FROM issues
        WHERE id % 3 = 0 AND reporter_id = 1000;
        INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
        SELECT id, 'RESOLVED', 'CLOSED', created_at + 3600000 * (id % 30) + 60000, 1000 FROM issues WHERE id % 6 = 0 AND reporter_id = 1000;
        INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
        SELECT id, 1000, 'c', created_at + 7200000 * (id % 20), 0 FROM issues WHERE id % 2 = 0 AND reporter_id = 1000;
        """

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
        // Each instance writes its views in a batch within a second.
        #expect(try await eventually {
            let counts = try await Self.psql(database, "SELECT view_count, comment_count FROM issues WHERE id = \(issue)", in: scratch)
            return counts.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "100|25"
        })

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

    /// Issue #18: disabling a user or resetting their password on one instance refuses their
    /// tokens on the other at the next request, well before its directory's 30 s re-read.
    @Test func disablingAUserOrResettingTheirPasswordReachesTheOtherInstance() async throws {
        let shared = try await SharedDatabase.start(instances: 2)
        defer { shared.cleanUpNow() }
        let (a, b) = (shared.daemons[0], shared.daemons[1])
        #expect(try await eventually { b.process.standardError.contains("listening for other instances' events") })
        _ = try await a.token(user: "boss", role: "admin", password: "boss-password")
        let member = try await a.token(user: "writer", role: "member", password: "writer-password")
        for _ in 0..<3 { #expect(try await b.send(.GET, "/api/issues/popular", token: member).status == 200) }

        let disabled = try await a.ctl("user", "disable", "writer")
        #expect(disabled.exitCode == 0, "\(disabled.standardError)")
        #expect(try await eventually(timeout: .seconds(5)) { try await b.send(.GET, "/api/issues/popular", token: member).status == 401 })
        #expect(try await b.send(.POST, "/api/auth/login", json: #"{"username":"writer","password":"writer-password"}"#).status == 403)
        #expect(try await a.ctl("user", "enable", "writer").exitCode == 0)
        let again = try await UserAdministrationTests.login(b, "writer", "writer-password")
        let token = try #require(again.token, "enabled on A, B lets them in")
        #expect(try await b.send(.GET, "/api/users/me", token: token).status == 200)

        #expect(try await a.ctl("user", "reset-password", "writer", "--password-stdin", input: "another-password\n").exitCode == 0)
        #expect(try await eventually(timeout: .seconds(5)) { try await b.send(.GET, "/api/users/me", token: token).status == 401 })
        #expect(try await UserAdministrationTests.login(b, "writer", "another-password").status == 200)

        // Two ADMINs, each disabled on a different instance at once: one must stay.
        _ = try await a.token(user: "deputy", role: "admin", password: "deputy-password")
        async let first = a.ctl("user", "disable", "boss")
        async let second = b.ctl("user", "disable", "deputy")
        let codes = [try await first.exitCode, try await second.exitCode].sorted()
        #expect(codes == [0, 1], "exactly one of two concurrent disablings of the last two ADMINs succeeds")
    }

    /// Issue #18: on PostgreSQL `triagectl backup` exits 1 and prints the `pg_dump` command for
    /// the configured database, without its password; the command, run as printed, works.
    @Test func aBackupOnPostgresSaysHowWithPgDump() async throws {
        let shared = try await SharedDatabase.start(instances: 1)
        defer { shared.cleanUpNow() }
        let daemon = shared.daemons[0]
        _ = try await daemon.token(user: "boss", role: "admin", password: "boss-password")
        let target = shared.scratch.file("dump.custom")
        let refused = try await daemon.ctl("backup", target)
        #expect(refused.exitCode == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("PostgreSQL"), "\(refused.standardError)")
        let command = refused.trimmed
        #expect(command.hasPrefix("pg_dump --format=custom --dbname='postgresql://triage@127.0.0.1:") && command.hasSuffix("--file='\(target)'"), "\(command)")
        #expect(!command.contains(":triage@") && !refused.standardError.contains(":triage@"), "no password: \(command)")
        #expect(!FileManager.default.fileExists(atPath: target))
        let dumped = try await CommandResult.run(["/bin/sh", "-c", command], in: shared.scratch, environment: ["PATH": "/usr/bin:/bin", "PGPASSWORD": "triage"])
        #expect(dumped.exitCode == 0, "the printed command works: \(dumped.standardError)")
        let listed = try await CommandResult.run(["/usr/bin/pg_restore", "--list", target], in: shared.scratch)
        #expect(listed.standardOutput.contains("TABLE public users"), "\(listed.standardOutput.prefix(500))")
    }

    /// Issue #18: a server certificate that verify-full refuses (another CA, another host) stops
    /// the start with 78 and the reason, at once; the right CA and host start. (PostgresTLSTests covers every mode.)
    @Test func aRefusedServerCertificateStopsTheStartWith78() async throws {
        let server = try await PostgresTLSServer()
        do {
            let secret = String(repeating: "s", count: 32)
            let refused = try TestDaemon(environment: [
                "TRIAGE_DATABASE_URL": server.url(query: "sslmode=verify-full&sslrootcert=\(server.otherCA)"), "TRIAGE_AUTH_JWT_SECRET": secret,
            ])
            defer { refused.cleanUpNow() }
            let began = ContinuousClock.now
            #expect(await refused.process.waitForExit(timeout: .seconds(20)) == 78)
            #expect(ContinuousClock.now - began < .seconds(15), "no retries for a certificate")
            #expect(refused.process.standardError.contains("the server's TLS certificate was refused (sslmode=verify-full)"), "\(refused.process.standardError)")
            let verified = try TestDaemon(environment: [
                "TRIAGE_DATABASE_URL": server.url(query: "sslmode=verify-full&sslrootcert=\(server.ca)"), "TRIAGE_AUTH_JWT_SECRET": secret,
            ])
            defer { verified.cleanUpNow() }
            try await verified.waitUntilReady()
            let status = try TestDaemon.json(try await verified.ctl("status", "--json").standardOutput)
            #expect((status["store"] as? [String: Any])?["reachable"] as? Bool == true)

            // The right CA, but a certificate for another host.
            try await server.serve(server.wrongHostCertificate)
            let wrongHost = try TestDaemon(environment: [
                "TRIAGE_DATABASE_URL": server.url(query: "sslmode=verify-full&sslrootcert=\(server.ca)"), "TRIAGE_AUTH_JWT_SECRET": secret,
            ])
            defer { wrongHost.cleanUpNow() }
            #expect(await wrongHost.process.waitForExit(timeout: .seconds(20)) == 78)
            #expect(wrongHost.process.standardError.contains("the server's TLS certificate was refused (sslmode=verify-full)"), "\(wrongHost.process.standardError)")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
