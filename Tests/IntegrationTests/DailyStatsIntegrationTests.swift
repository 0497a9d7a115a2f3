import Foundation
import Testing
import TriageTestSupport

/// The batch through the real daemon: triagectl, the control API, and shutdown mid-run.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DailyStatsIntegrationTests {
    static let utc = ["TRIAGE_STATS_TIMEZONE": "UTC"]

    @Test func batchRunAndHistoryThroughTriagectl() async throws {
        let daemon = try TestDaemon(environment: Self.utc)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        try await daemon.waitUntilSchedulerSettled()

        let run = try await daemon.ctl("batch", "run", "--date", "2026-01-15", "--json")
        #expect(run.exitCode == 0, "\(run.standardError)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let days = try #require(answer["days"] as? [[String: Any]])
        #expect(days.count == 1)
        #expect(Set(days[0].keys).isSuperset(of: ["date", "createdCount", "resolvedCount", "commentCount", "outcome"]))
        #expect(days[0]["outcome"] as? String == "done")

        let table = try await daemon.ctl("batch", "run", "--from", "2026-01-01", "--to", "2026-01-03")
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains("2026-01-02"))

        let history = try await daemon.ctl("batch", "history", "--limit", "2", "--json")
        #expect(history.exitCode == 0)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.standardOutput.utf8)) as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(Set(runs[0].keys) == ["id", "trigger", "from", "to", "startedAt", "durationSeconds", "outcome", "error", "rowsWritten", "instance"])
        #expect(runs[0]["trigger"] as? String == "manual")
        #expect(runs[0]["from"] as? String == "2026-01-01")
        #expect(runs[1]["to"] as? String == "2026-01-15")
        #expect((runs[0]["instance"] as? String)?.hasSuffix(":\(daemon.process.pid)") == true)

        let human = try await daemon.ctl("batch", "history")
        #expect(human.standardOutput.contains("catch-up"), "the start-up catch-up is in the history")

        let status = try await daemon.ctl("status")
        #expect(status.standardOutput.contains("stats next run"))
        #expect(status.standardOutput.contains("T03:00:00Z  ("), "03:00 in the configured zone (UTC here)")
        #expect(status.standardOutput.split(separator: "\n").contains { $0.hasPrefix("stats last run") && $0.contains("done, manual") })

        let metrics = try await daemon.get("/metrics")
        #expect(metrics.body.contains(#"triage_daily_stats_runs_total{outcome="done"} 3"#))
        #expect(metrics.body.contains("triage_daily_stats_last_success_timestamp_seconds"))
    }

    @Test func aRangeOnATerminalPrintsAProgressLinePerDay() async throws {
        let daemon = try TestDaemon(environment: Self.utc)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        try await daemon.waitUntilSchedulerSettled()
        // script(1) gives triagectl a terminal, as an operator's shell would.
        let command = "\(Binaries.triagectl) batch run --from 2026-02-01 --to 2026-02-03 --socket \(daemon.socketPath)"
        let result = try await CommandResult.run(["/usr/bin/script", "-qec", command, "/dev/null"], in: daemon.directory)
        #expect(result.exitCode == 0, "\(result.standardOutput)")
        let lines = result.standardOutput.split(whereSeparator: \.isNewline).map(String.init)
        for date in ["2026-02-01", "2026-02-02", "2026-02-03"] {
            #expect(lines.contains { $0.hasPrefix("\(date)  done  created 0") }, "progress for \(date) in \(lines)")
        }
        #expect(lines.contains { $0.hasPrefix("DATE") }, "and the summary table")
        // Not on a terminal: the table alone.
        let piped = try await daemon.ctl("batch", "run", "--from", "2026-02-01", "--to", "2026-02-03")
        #expect(!piped.standardOutput.contains("done  created"))
    }

    @Test func refusalsExitOneAndUsageErrorsExit64() async throws {
        let daemon = try TestDaemon(environment: Self.utc)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        try await daemon.waitUntilSchedulerSettled()
        let future = try await daemon.ctl("batch", "run", "--date", "2999-01-01")
        #expect(future.exitCode == 1)
        #expect(future.standardError.contains("in the future"))
        let tooLong = try await daemon.ctl("batch", "run", "--from", "2020-01-01", "--to", "2021-06-01")
        #expect(tooLong.exitCode == 1)
        #expect(try await daemon.ctl("batch", "run", "--date", "2026-02-30").exitCode == 1)
        #expect(try await daemon.ctl("batch", "run", "--date", "2026-01-01", "--from", "2026-01-01", "--to", "2026-01-02").exitCode == 64)
        #expect(try await daemon.ctl("batch", "run", "--from", "2026-01-01").exitCode == 64)
        #expect(try await daemon.ctl("batch", "history", "--limit", "0").exitCode == 64)
    }

    @Test func badCronIsAConfigurationErrorNamingTheReason() async throws {
        let daemon = try TestDaemon(environment: ["TRIAGE_STATS_CRON": "0 0 25 * * *"])
        defer { daemon.cleanUpNow() }
        #expect(await daemon.process.waitForExit(timeout: .seconds(60)) == 78)
        #expect(daemon.process.standardError.contains("stats.cron: hour field \"25\""))
        #expect(!daemon.notify.messages.contains { $0.text.contains("READY=1") })
    }

    /// SIGTERM while a day of a year-long run is in flight: that day is finished, the
    /// run stops before the next one and is recorded as interrupted, and every row
    /// written agrees with a recount done here, in Swift, from the raw rows.
    @Test func sigtermMidRunFinishesTheDayInFlightAndStops() async throws {
        let directory = try TemporaryDirectory()
        let first = try TestDaemon(environment: Self.utc, directory: directory)
        try await first.waitUntilReady()
        #expect(await first.stop() == 0)
        first.notify.close()
        let database = directory.file("triage-data/triage.sqlite")
        let seeded = try await CommandResult.run(["/usr/bin/sqlite3", database, Self.seedSQL], in: directory)
        #expect(seeded.exitCode == 0, "\(seeded.standardError)")

        // A long database.timeout: the day held up by the lock below waits instead of failing.
        let daemon = try TestDaemon(environment: Self.utc.merging(["TRIAGE_DATABASE_TIMEOUT": "120"]) { $1 }, directory: directory)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        try await daemon.waitUntilSchedulerSettled()

        // Another writer takes SQLite's write lock as soon as the run is recorded as running, so
        // a day of the run is caught in flight, waiting for it, when SIGTERM arrives.
        let release = directory.file("release-the-lock")
        let holder = try ChildProcess(
            "python3", ["-c", Self.lockHolder, database, release],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], directory: directory.path, name: "lock-holder"
        )
        defer { holder.killNow() }
        try #require(try await eventually(timeout: .seconds(60)) { holder.standardOutput.contains("watching") }, "\(holder.standardError)")
        let curl = try ChildProcess(
            "/usr/bin/curl",
            ["-sN", "--unix-socket", daemon.socketPath, "-H", "Accept: application/x-ndjson", "-H", "Content-Type: application/json",
             "-d", #"{"from":"2025-11-25","to":"2026-11-24"}"#, "http://localhost/v1/batches/daily-stats/runs"],
            environment: ["PATH": "/usr/bin:/bin"], directory: directory.path, name: "curl-run"
        )
        defer { curl.killNow() }
        try #require(try await eventually(timeout: .seconds(60)) { holder.standardOutput.contains("held") }, "\(holder.standardError)")

        let stopping = daemon.notify.messages.count
        daemon.process.signal(SIGTERM)
        try #require(await daemon.notify.waitFor(after: stopping, timeout: .seconds(30)) { $0.hasPrefix("STOPPING=1") } != nil)
        try "".write(toFile: release, atomically: true, encoding: .utf8)
        #expect(await daemon.process.waitForExit(timeout: .seconds(60)) == 0)
        #expect(await holder.waitForExit(timeout: .seconds(30)) == 0, "\(holder.standardError)")
        _ = await curl.waitForExit(timeout: .seconds(10))

        let run = try await Self.query(database, "SELECT outcome, rows_written, error FROM batch_runs WHERE trigger = 'manual'", in: directory)
        let fields = run.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        try #require(fields.count == 3, "one manual run recorded: \(run)")
        #expect(fields[0] == "interrupted")
        let written = try #require(Int(fields[1]))
        #expect(written >= 1 && written < 365, "the day in flight was finished, the rest not started: \(written) of 365")
        #expect(fields[2] == "shutdown before \(365 - written) of 365 days")
        // One progress line per finished day, then the run's summary.
        let lines = curl.standardOutput.split(separator: "\n")
        let progress = lines.filter { !$0.contains(#""runId""#) }
        #expect(progress.count == written && progress.allSatisfy { $0.contains(#""outcome":"done""#) }, "progress: \(progress)")
        #expect(lines.last?.contains(#""outcome":"interrupted""#) == true, "summary: \(lines.last ?? "none")")

        // The rows of the run's range, beside a recount of the raw rows by UTC day.
        let rows = try await Self.query(
            database, "SELECT date, created_count, resolved_count, comment_count FROM daily_stats WHERE date BETWEEN '2025-11-25' AND '2026-11-24'",
            in: directory
        )
        let aggregated = DailyRecount.rows(rows)
        #expect(aggregated.count == written, "exactly the finished days have rows")
        let recount = try await Self.recount(database, in: directory)
        for (date, counts) in aggregated {
            #expect(counts == recount[date, default: [0, 0, 0]], "\(date): aggregated \(counts), recounted \(recount[date, default: [0, 0, 0]])")
        }
        #expect(aggregated.keys.sorted() == DailyRecount.days(from: "2025-11-25", count: written), "the run's first days, in order")
    }

    /// Created, resolved and comment counts per UTC day, counted from the raw rows in Swift.
    static func recount(_ database: String, in directory: TemporaryDirectory) async throws -> [String: [Int]] {
        DailyRecount.counts(
            created: try await query(database, "SELECT created_at FROM issues", in: directory),
            resolutions: try await query(database, "SELECT issue_id, at FROM issue_status_events WHERE to_status IN ('RESOLVED', 'CLOSED')", in: directory),
            comments: try await query(database, "SELECT created_at FROM comments", in: directory)
        )
    }

    static func query(_ database: String, _ sql: String, in directory: TemporaryDirectory) async throws -> String {
        let result = try await CommandResult.run(["/usr/bin/sqlite3", database, sql], in: directory)
        #expect(result.exitCode == 0, "\(sql): \(result.standardError)")
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits for the run to be recorded `running` (after its lease), then holds SQLite's
    /// write lock until the release file exists: the run's days are what waits for it.
    static let lockHolder = """
        import os, sqlite3, sys, time
        database, release = sys.argv[1], sys.argv[2]
        connection = sqlite3.connect(database, timeout=120, isolation_level=None)
        print("watching", flush=True)
        while connection.execute("SELECT COUNT(*) FROM batch_runs WHERE outcome = 'running'").fetchone()[0] == 0:
            pass
        connection.execute("BEGIN IMMEDIATE")
        print("held", flush=True)
        while not os.path.exists(release):
            time.sleep(0.01)
        connection.execute("COMMIT")
        """

    /// A year of issues, resolutions and comments, spread over every day. The
    /// first start's catch-up counted an empty database: those rows go too.
    static let seedSQL = """
        DELETE FROM daily_stats;
        INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1000, 'seed', 'x', 'MEMBER', 0);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
        INSERT INTO issues (title, description, status, priority, reporter_id, created_at, updated_at)
        SELECT 't', '', 'OPEN', 'LOW', 1000, (1795564800 - (i * 1571) % (366 * 86400)) * 1000 + i % 1000, 0 FROM n;
        INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
        SELECT id, 'OPEN', CASE WHEN id % 2 = 0 THEN 'RESOLVED' ELSE 'CLOSED' END, created_at + 3600000 * (id % 30), 1000 FROM issues WHERE id % 3 = 0;
        INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
        SELECT id, 1000, 'c', created_at + 7200000 * (id % 20), 0 FROM issues WHERE id % 2 = 0;
        """

}
