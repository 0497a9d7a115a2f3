import Foundation
import NIOHTTP1
import Testing
import TriageTestSupport

/// Faults a daemon meets on a real machine (issue #16), each against the real
/// `triaged` on SQLite while a `WriteLoad` runs: afterwards every acknowledged
/// write is stored, nothing refused or never sent is, and no request got a 5xx
/// other than 503.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FaultTests {
    static let environment = DailyStatsIntegrationTests.utc.merging(["TRIAGE_STATS_CATCH_UP_DAYS": "0"]) { $1 }

    /// Ten times: a write load and a year-long `batch run` going, then SIGKILL at a random
    /// moment of the run, then a restart on the same files. The next run takes over the
    /// dead process's lease and marks its run interrupted; at the end catch-up fills the
    /// days the runs left, and every day agrees with a recount of the raw rows.
    @Test(arguments: ["sqlite", "postgres"])
    func killNineUnderWritesAndMidYearRunLosesNothing(store: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqliteFile = directory.file("triage-data/triage.sqlite")
        var environment = Self.environment
        let query: @Sendable (String) async throws -> String
        if store == "postgres" {
            let url = try await PostgresIntegrationTests.freshDatabase(in: directory)
            environment["TRIAGE_DATABASE_URL"] = url
            environment["TRIAGE_AUTH_JWT_SECRET"] = String(repeating: "s", count: 32)
            query = { sql in
                let result = try await PostgresIntegrationTests.psql(url, sql, in: directory)
                #expect(result.exitCode == 0, "\(sql): \(result.standardError)")
                return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        } else {
            query = { sql in try await DailyStatsIntegrationTests.query(sqliteFile, sql, in: directory) }
        }
        let first = try TestDaemon(environment: environment, directory: directory)
        try await first.waitUntilReady()
        let token = try await first.token(user: "loader", role: "member")
        #expect(await first.stop() == 0)
        first.notify.close()
        let year = Self.Year()
        _ = try await query(year.seedSQL)

        let ledger = WriteLedger()
        var crashes: [ContinuousClock.Instant] = []
        for round in 1...10 {
            let daemon = try TestDaemon(environment: environment, directory: directory)
            defer { daemon.killNow() }
            // The previous round's socket is still on disk: it is replaced, and READY comes back.
            try await daemon.waitUntilReady()
            let port = try #require(daemon.httpPort)
            let load = Task { await WriteLoad(port: port, token: token, ledger: ledger, prefix: "r\(round)").run() }
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...600)))
            let run = try Self.streamRun(of: year, daemon, in: directory, name: "run-\(round)")
            defer { run.killNow() }
            // A random moment of the run: after some of its days, never after the last.
            let days = Int.random(in: 1...300)
            let reached = try await eventually(timeout: .seconds(60), interval: .milliseconds(2)) {
                run.standardOutput.split(separator: "\n").count >= days
            }
            try #require(reached, "round \(round): the run never reached day \(days): \(run.standardOutput.suffix(300)) \(daemon.process.standardError.suffix(2000))")
            // The instant after the process is gone (killNow reaps it): a view answered in between is before it.
            daemon.process.killNow()
            crashes.append(.now)
            load.cancel()
            await load.value
        }

        // Catch-up on (366 days, the most it goes back): the days no killed run finished are filled now.
        let last = try TestDaemon(environment: environment.merging(["TRIAGE_STATS_CATCH_UP_DAYS": "366"]) { $1 }, directory: directory)
        defer { last.cleanUpNow() }
        try await last.waitUntilReady()
        try await last.waitUntilSchedulerSettled()
        #expect(await last.stop() == 0)

        #expect(ledger.acknowledgedIssues > 50 && ledger.acknowledgedComments > 50, "the load ran: \(ledger.answers)")
        #expect(ledger.unexpected.isEmpty, "\(ledger.unexpected)")
        let stored = try await StoredWrites.read(query)
        let mismatches = ledger.mismatches(against: stored, crashes: crashes)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        if store == "sqlite" { #expect(try await StoredWrites.integrity(sqliteFile, in: directory) == "ok") }

        let runs = try await query("SELECT outcome, error FROM batch_runs WHERE trigger = 'manual'")
        let outcomes = runs.split(separator: "\n").map { $0.split(separator: "|", maxSplits: 1).map(String.init) }
        #expect(outcomes.count == 10, "one recorded run per round: \(runs)")
        #expect(outcomes.allSatisfy { $0.first == "interrupted" && $0.last?.hasPrefix("the process ended during the run") == true }, "\(runs)")
        let rows = try await query(
            "SELECT date, created_count, resolved_count, comment_count FROM daily_stats WHERE date BETWEEN '\(year.from)' AND '\(year.to)'"
        )
        let aggregated = DailyRecount.rows(rows)
        #expect(aggregated.count == year.days, "every day of the run's range has its row after catch-up")
        let recount = DailyRecount.counts(
            created: try await query("SELECT created_at FROM issues"),
            resolutions: try await query("SELECT issue_id, at FROM issue_status_events WHERE to_status IN ('RESOLVED', 'CLOSED')"),
            comments: try await query("SELECT created_at FROM comments")
        )
        for (date, counts) in aggregated where counts != recount[date, default: [0, 0, 0]] {
            Issue.record("\(date): aggregated \(counts), recounted \(recount[date, default: [0, 0, 0]])")
        }
    }

    /// SIGTERM while writes stream in: STOPPING=1 at once, the listener closes (new
    /// connections are refused), requests already in flight are answered, the process
    /// exits 0 within the drain timeout plus a second, and after a restart every
    /// acknowledged write is there, views included (the last batch is flushed at the stop).
    @Test func sigtermUnderLoadKeepsEveryAcknowledgedWrite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let drainTimeout = 5.0
        let environment = Self.environment.merging(["TRIAGE_HTTP_DRAIN_TIMEOUT": "\(drainTimeout)"]) { $1 }
        let (daemon, _, _, ledger, load) = try await Self.startUnderLoad(environment: environment, in: directory, prefix: "term")
        defer { daemon.killNow() }
        let port = try #require(daemon.httpPort)
        try await Task.sleep(for: .seconds(2))

        let before = daemon.notify.messages.count
        let signalled = ContinuousClock.now
        daemon.process.signal(SIGTERM)
        let stopping = try #require(await daemon.notify.waitFor(after: before, timeout: .seconds(5)) { $0.hasPrefix("STOPPING=1") })
        #expect(stopping.message.at - signalled < .seconds(1), "STOPPING=1 after \(stopping.message.at - signalled)")
        let refused = try await eventually(timeout: .seconds(2), interval: .milliseconds(10)) {
            guard let descriptor = try? RawHTTP.connect(port: port) else { return true }
            close(descriptor)
            return false
        }
        #expect(refused, "new connections are refused once the stop began")
        let exit = await daemon.process.waitForExit(timeout: .seconds(drainTimeout + 5))
        let took = ContinuousClock.now - signalled
        load.cancel()
        await load.value
        #expect(exit == 0, "\(daemon.process.standardError.suffix(2000))")
        #expect(took < .seconds(drainTimeout + 1), "stopped after \(took)")
        #expect(!daemon.process.standardError.contains("stopping now"), "the drain finished before its timeout")

        #expect(ledger.acknowledgedIssues > 20, "the load ran: \(ledger.answers)")
        #expect(ledger.unexpected.isEmpty, "\(ledger.unexpected)")
        let database = directory.file("triage-data/triage.sqlite")
        let again = try TestDaemon(environment: Self.environment, directory: directory)
        defer { again.killNow() }
        try await again.waitUntilReady()
        #expect(await again.stop() == 0)
        let mismatches = ledger.mismatches(against: try await StoredWrites.sqlite(database, in: directory))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(try await StoredWrites.integrity(database, in: directory) == "ok")
    }

    /// A request that never completes (its body stalls) holds the drain: the stop
    /// ends at the drain timeout, or at once at a second SIGTERM, with exit 0, the
    /// cut-off named in the log, and a database that opens again intact.
    @Test(arguments: ["timeout", "second signal"])
    func aStopThatCannotDrainIsCutShort(_ how: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let drainTimeout = how == "timeout" ? 2.0 : 40.0
        let environment = Self.environment.merging(["TRIAGE_HTTP_DRAIN_TIMEOUT": "\(drainTimeout)"]) { $1 }
        let daemon = try TestDaemon(environment: environment, directory: directory)
        defer { daemon.killNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "writer", role: "member")
        let port = try #require(daemon.httpPort)
        let created = try await daemon.send(.POST, "/api/issues", json: #"{"title":"kept","description":""}"#, token: token)
        #expect(created.status == 201)
        // A request whose body never finishes: it is in flight until http.bodyTimeout (60 s).
        let stalled = try RawHTTP.connect(port: port)
        defer { close(stalled) }
        try RawHTTP.send(Array((
            "POST /api/issues HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n" +
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":"
        ).utf8), on: stalled)
        try await Task.sleep(for: .milliseconds(300))

        let signalled = ContinuousClock.now
        daemon.process.signal(SIGTERM)
        if how == "second signal" {
            try await Task.sleep(for: .seconds(1))
            #expect(await daemon.process.waitForExit(timeout: .milliseconds(1)) == nil, "still draining before the second signal")
            daemon.process.signal(SIGTERM)
        }
        let exit = await daemon.process.waitForExit(timeout: .seconds(drainTimeout + 10))
        let took = ContinuousClock.now - signalled
        #expect(exit == 0, "\(daemon.process.standardError.suffix(2000))")
        let bound: Duration = how == "timeout" ? .seconds(drainTimeout + 1) : .seconds(2)
        #expect(took < bound, "stopped after \(took)")
        let expected = how == "timeout" ? "the drain timeout (http.drainTimeout" : "a second SIGTERM arrived while draining"
        #expect(daemon.process.standardError.contains(expected), "\(daemon.process.standardError.suffix(2000))")

        let database = directory.file("triage-data/triage.sqlite")
        #expect(try await StoredWrites.integrity(database, in: directory) == "ok")
        #expect(try await DailyStatsIntegrationTests.query(database, "SELECT title FROM issues", in: directory) == "kept")
        let again = try TestDaemon(environment: Self.environment, directory: directory)
        defer { again.killNow() }
        try await again.waitUntilReady()
        #expect(await again.stop() == 0)
    }

    /// The database file deleted, replaced by another file, or made unreadable under the
    /// running daemon: SQLite would go on writing into the old inode (or the next
    /// connection, a restart, could not open it), so every write acknowledged from then
    /// on would be gone or stuck. Writes are refused (503, Retry-After), `/readyz` is
    /// 503, STATUS= and the log say why (the log once), the watchdog withholds its pings
    /// so systemd restarts the daemon, which then opens the path. An unreadable file
    /// made readable again takes writes again without a restart. The daemon runs as
    /// nobody there: root reads and writes whatever the mode.
    @Test(arguments: ["deleted", "replaced", "unreadable"])
    func aStoreFileDeletedReplacedOrUnreadableStopsWrites(_ how: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try TestDaemon(
            environment: Self.environment, watchdogMicroseconds: 2_000_000, directory: directory, runAs: how == "unreadable" ? .nobody : nil
        )
        defer { daemon.killNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "writer", role: "member")
        for title in ["one", "two"] {
            #expect(try await daemon.send(.POST, "/api/issues", json: #"{"title":"\#(title)","description":""}"#, token: token).status == 201)
        }
        let database = directory.file("triage-data/triage.sqlite")
        switch how {
        case "deleted":
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        case "unreadable":
            #expect(chmod(database, 0) == 0)
        default:
            let copy = directory.file("triage-data/restored.sqlite")
            let backup = try await CommandResult.run(["/usr/bin/sqlite3", database, ".backup '\(copy)'"], in: directory)
            try #require(backup.exitCode == 0, "\(backup.standardError)")
            #expect(rename(copy, database) == 0)
        }
        let watched = daemon.notify.messages.count

        for attempt in 1...3 {
            let refused = try await daemon.send(.POST, "/api/issues", json: #"{"title":"lost \#(attempt)","description":""}"#, token: token)
            #expect(refused.status == 503)
            #expect(refused.headers.first(name: "Retry-After") == "30")
            #expect(refused.body.contains("its file was deleted, replaced or made inaccessible"), "\(refused.body)")
        }
        #expect(try await daemon.get("/readyz").status == 503)
        let status = await daemon.notify.waitFor(after: watched, timeout: .seconds(10)) {
            $0.contains("STATUS=") && $0.contains("cannot take writes") && $0.contains(["deleted": "was deleted", "replaced": "was replaced"][how] ?? "is no longer readable and writable")
        }
        #expect(status != nil, "STATUS= names the problem: \(daemon.notify.messages.suffix(5).map(\.text))")
        // The watchdog stops vouching for the daemon: systemd's restart opens the path anew.
        let pingsBefore = daemon.notify.messages.count
        try await Task.sleep(for: .seconds(3))
        #expect(!daemon.notify.messages.dropFirst(pingsBefore).contains { $0.text.contains("WATCHDOG=1") }, "no watchdog ping while the file is gone")
        let logged = daemon.process.standardError.components(separatedBy: "the database cannot take writes; they are answered 503").count - 1
        #expect(logged == 1, "logged once, not per request: \(daemon.process.standardError.suffix(3000))")
        if how == "unreadable" {
            #expect(chmod(database, 0o600) == 0)
            let resumed = try await eventually(timeout: .seconds(10)) {
                try await daemon.send(.POST, "/api/issues", json: #"{"title":"three","description":""}"#, token: token).status == 201
            }
            #expect(resumed, "readable again: writes resume without a restart")
            #expect(try await daemon.get("/readyz").status == 200)
        }
        #expect(await daemon.stop() == 0)

        if how == "replaced" {
            // The replacement is what the next start serves; nothing was written into the old file after it.
            #expect(try await DailyStatsIntegrationTests.query(database, "SELECT title FROM issues ORDER BY id", in: directory) == "one\ntwo")
        }
    }

    /// The disk fills up under a write load (the data directory is a 8 MiB tmpfs of the
    /// test's own, filled with ballast): writes answer 503 with Retry-After and a clear
    /// problem, reads go on, /readyz and STATUS= say why and the log says it once; with
    /// the ballast gone, writes succeed again with no restart, and the file is intact.
    @Test func aFullDiskRefusesWritesKeepsReadsAndRecovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("triage-data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let mounted = try await CommandResult.run(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", data], in: directory)
        try #require(mounted.exitCode == 0, "a small filesystem of the test's own needs root: \(mounted.standardError)")
        defer { _ = umount(data) }
        let (daemon, token, keptID, ledger, load) = try await Self.startUnderLoad(environment: Self.environment, in: directory, prefix: "full")
        defer { daemon.killNow() }
        let ballast = directory.file("triage-data/ballast")
        let filled = try await CommandResult.run(["/usr/bin/dd", "if=/dev/zero", "of=\(ballast)", "bs=64k"], in: directory)
        #expect(filled.standardError.contains("No space left"), "\(filled.standardError)")
        let watched = daemon.notify.messages.count

        let refusal = try await eventually(timeout: .seconds(30)) { () -> (status: Int, body: String, headers: HTTPHeaders)? in
            let answer = try await daemon.send(.POST, "/api/issues", json: #"{"title":"probe","description":""}"#, token: token)
            return answer.status == 503 ? answer : nil
        }
        let refused = try #require(refusal, "writes are refused once the disk is full")
        #expect(refused.body.contains("the disk is full"), "\(refused.body)")
        #expect(refused.headers.first(name: "Retry-After") == "30")
        #expect(try await daemon.send(.GET, "/api/issues/\(keptID)", token: token).status == 200, "reads go on")
        #expect(try await daemon.get("/readyz").status == 503)
        let degraded = await daemon.notify.waitFor(after: watched, timeout: .seconds(10)) {
            $0.contains("STATUS=") && $0.contains("cannot take writes: the disk holding")
        }
        #expect(degraded != nil, "\(daemon.notify.messages.suffix(3).map(\.text))")
        try await Task.sleep(for: .seconds(1))

        try FileManager.default.removeItem(atPath: ballast)
        let accepted = try await eventually(timeout: .seconds(15)) {
            try await daemon.send(.POST, "/api/issues", json: #"{"title":"after","description":""}"#, token: token).status == 201
        }
        #expect(accepted, "writes work again once there is room, with no restart")
        #expect(try await daemon.get("/readyz").status == 200)
        try await Task.sleep(for: .milliseconds(500))
        load.cancel()
        await load.value
        #expect(await daemon.stop() == 0)

        let stderr = daemon.process.standardError
        #expect(stderr.components(separatedBy: "the database cannot take writes; they are answered 503").count - 1 == 1, "\(stderr.suffix(3000))")
        #expect(stderr.contains("the database takes writes again"))
        #expect(ledger.unexpected.isEmpty, "\(ledger.unexpected)")
        #expect(ledger.answers[503, default: 0] > 0 && ledger.acknowledgedIssues > 0, "\(ledger.answers)")
        let database = directory.file("triage-data/triage.sqlite")
        let mismatches = ledger.mismatches(against: try await StoredWrites.sqlite(database, in: directory))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(try await StoredWrites.integrity(database, in: directory) == "ok")
    }

    /// An operator's `sqlite3` holds `BEGIN EXCLUSIVE` for 10 s under a write load:
    /// writes wait at most `database.timeout` (2 s here), then answer 503 with
    /// Retry-After, never 500; reads go on; a batch run records its days failed with
    /// the reason; when the lock goes, writes are acknowledged again at once.
    @Test func aDatabaseLockedByAnOperatorDelaysWritesAtMostTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = Self.environment.merging(["TRIAGE_DATABASE_TIMEOUT": "2"]) { $1 }
        let (daemon, token, keptID, ledger, load) = try await Self.startUnderLoad(environment: environment, in: directory, prefix: "locked")
        defer { daemon.killNow() }
        try await Task.sleep(for: .milliseconds(500))

        let database = directory.file("triage-data/triage.sqlite")
        // As an operator would: wait for the daemon's own (short) transaction to end, then hold the lock;
        // -bail so that "held" is printed only once BEGIN EXCLUSIVE succeeded.
        let script = try directory.write("hold.sql", ".timeout 10000\nBEGIN EXCLUSIVE;\nSELECT 'held';\n.shell sleep 10\nCOMMIT;\n")
        let holder = try ChildProcess(
            "/usr/bin/sqlite3", ["-bail", database], environment: ["PATH": "/usr/bin:/bin"], directory: directory.path, name: "operator",
            standardInput: script
        )
        defer { holder.killNow() }
        try #require(try await eventually { holder.standardOutput.contains("held") }, "\(holder.standardError)")
        let locked = ContinuousClock.now

        let asked = ContinuousClock.now
        let answer = try await daemon.send(.POST, "/api/issues", json: #"{"title":"during","description":""}"#, token: token)
        let waited = ContinuousClock.now - asked
        #expect(answer.status == 503, "\(answer.body)")
        #expect(answer.headers.first(name: "Retry-After") == "5")
        #expect(waited < .seconds(3), "waited \(waited) with database.timeout 2 s")
        #expect(try await daemon.send(.GET, "/api/issues/\(keptID)", token: token).status == 200, "reads go on")
        let run = try await daemon.ctl("batch", "run", "--date", "2026-11-01", "--json")
        #expect(run.exitCode == 1, "a run with failed days exits 1: \(run.standardOutput) \(run.standardError)")
        #expect(run.standardOutput.contains("\"failed\""), "\(run.standardOutput)")
        #expect(ContinuousClock.now - locked < .seconds(10), "the checks ran while the lock was held")

        #expect(await holder.waitForExit(timeout: .seconds(20)) == 0, "\(holder.standardError)")
        let resumed = try await daemon.send(.POST, "/api/issues", json: #"{"title":"after","description":""}"#, token: token)
        #expect(resumed.status == 201, "writes resume once the lock goes: \(resumed.body)")
        // The next run records the failed one first, which the locked database could not take.
        let again = try await daemon.ctl("batch", "run", "--date", "2026-11-01", "--json")
        #expect(again.exitCode == 0, "\(again.standardOutput) \(again.standardError)")
        try await Task.sleep(for: .milliseconds(500))
        load.cancel()
        await load.value
        #expect(await daemon.stop() == 0)

        #expect(ledger.unexpected.isEmpty, "never a 500: \(ledger.unexpected)")
        #expect(ledger.answers[503, default: 0] > 0, "the load met the lock: \(ledger.answers)")
        let runs = try await DailyStatsIntegrationTests.query(
            database, "SELECT outcome, error FROM batch_runs WHERE trigger = 'manual' ORDER BY started_at", in: directory
        ).split(separator: "\n")
        #expect(runs.count == 2 && runs[0].hasPrefix("failed|") && runs[0].contains("lock") && runs[1] == "done|", "both runs recorded: \(runs)")
        let mismatches = ledger.mismatches(against: try await StoredWrites.sqlite(database, in: directory))
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// A file that is not a database at start: exit 78 (configuration), SQLite's reason on stderr.
    @Test func aCorruptFileAtStartExitsWithTheReason() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("triage-data"), withIntermediateDirectories: true)
        try String(repeating: "not a database; ", count: 512).write(toFile: directory.file("triage-data/triage.sqlite"), atomically: true, encoding: .utf8)
        let daemon = try TestDaemon(environment: Self.environment, directory: directory)
        defer { daemon.killNow() }
        #expect(await daemon.process.waitForExit(timeout: .seconds(30)) == 78)
        #expect(daemon.process.standardError.contains("file is not a database"), "\(daemon.process.standardError)")
    }

    /// A ready daemon in `directory`, a member's token, one issue written before the
    /// fault (its id), and a `WriteLoad` recording into a new ledger.
    static func startUnderLoad(
        environment: [String: String], in directory: TemporaryDirectory, prefix: String
    ) async throws -> (daemon: TestDaemon, token: String, keptID: Int64, ledger: WriteLedger, load: Task<Void, Never>) {
        let daemon = try TestDaemon(environment: environment, directory: directory)
        do {
            try await daemon.waitUntilReady()
            let token = try await daemon.token(user: "writer", role: "member")
            let kept = try await daemon.send(.POST, "/api/issues", json: #"{"title":"before","description":""}"#, token: token)
            let keptID = try #require(WriteLoad.id(in: kept.body))
            let port = try #require(daemon.httpPort)
            let ledger = WriteLedger()
            let load = Task { await WriteLoad(port: port, token: token, ledger: ledger, prefix: prefix).run() }
            return (daemon, token, keptID, ledger, load)
        } catch {
            daemon.killNow()
            throw error
        }
    }

    /// Nearly a year of data ending a week before today (so that catch-up, which goes
    /// back at most 366 days, reaches all of it on any day the suite runs): issues,
    /// resolutions and comments on every day.
    struct Year {
        let days = 358
        let from: String
        let to: String
        let seedSQL: String

        init(today: Date = Date()) {
            let midnight = (Int(today.timeIntervalSince1970) / 86_400) * 86_400
            let end = midnight - 7 * 86_400  // exclusive: the range ends the day before
            from = DailyRecount.day(String(Int64(end - 358 * 86_400) * 1000)) ?? ""
            to = DailyRecount.day(String(Int64(end - 1) * 1000)) ?? ""
            seedSQL = """
                DELETE FROM daily_stats;
                INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1000, 'seed', 'x', 'MEMBER', 0);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                INSERT INTO issues (title, description, status, priority, reporter_id, created_at, updated_at)
                SELECT 't', '', 'OPEN', 'LOW', 1000, CAST(\(end - 1) - (i * 1571) % (358 * 86400) AS BIGINT) * 1000 + i % 1000, 0 FROM n;
                INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
                SELECT id, 'OPEN', CASE WHEN id % 2 = 0 THEN 'RESOLVED' ELSE 'CLOSED' END, created_at + 3600000 * (id % 30), 1000 FROM issues WHERE id % 3 = 0;
                INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
                SELECT id, 1000, 'c', created_at + 7200000 * (id % 20), 0 FROM issues WHERE id % 2 = 0;
                """
        }
    }

    /// `POST /v1/batches/daily-stats/runs` for `year`, its progress streamed (one line per day).
    static func streamRun(of year: Year, _ daemon: TestDaemon, in directory: TemporaryDirectory, name: String) throws -> ChildProcess {
        try ChildProcess(
            "/usr/bin/curl",
            ["-sN", "--unix-socket", daemon.socketPath, "-H", "Accept: application/x-ndjson", "-H", "Content-Type: application/json",
             "-d", #"{"from":"\#(year.from)","to":"\#(year.to)"}"#, "http://localhost/v1/batches/daily-stats/runs"],
            environment: ["PATH": "/usr/bin:/bin"], directory: directory.path, name: name
        )
    }
}
