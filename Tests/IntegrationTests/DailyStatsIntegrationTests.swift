import Foundation
import Testing
import TriageTestSupport

/// The batch through the real daemon: triagectl, the control API, and shutdown mid-run.
@Suite(.serialized) struct DailyStatsIntegrationTests {
    static let utc = ["TRIAGE_STATS_TIMEZONE": "UTC"]

    @Test func batchRunAndHistoryThroughTriagectl() async throws {
        let daemon = try TestDaemon(environment: Self.utc)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()

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

    @Test func sigtermMidRunLeavesNoPartialDay() async throws {
        let directory = try TemporaryDirectory()
        let first = try TestDaemon(environment: Self.utc, directory: directory)
        try await first.waitUntilReady()
        #expect(await first.stop() == 0)
        first.notify.close()
        let database = directory.file("triage-data/triage.sqlite")
        let seeded = try await CommandResult.run(["/usr/bin/sqlite3", database, Self.seedSQL], in: directory)
        #expect(seeded.exitCode == 0, "\(seeded.standardError)")

        let daemon = try TestDaemon(environment: Self.utc, directory: directory)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        // Stream the run's progress and stop the daemon as soon as the first day is done.
        let curl = try ChildProcess(
            "/usr/bin/curl",
            ["-sN", "--unix-socket", daemon.socketPath, "-H", "Accept: application/x-ndjson", "-H", "Content-Type: application/json",
             "-d", #"{"from":"2025-11-25","to":"2026-11-24"}"#, "http://localhost/v1/batches/daily-stats/runs"],
            environment: ["PATH": "/usr/bin:/bin"], directory: directory.path, name: "curl-run"
        )
        try await waitFor("the first day of the run") { curl.standardOutput.contains(#""outcome":"done""#) }
        daemon.process.signal(SIGTERM)
        #expect(await daemon.process.waitForExit(timeout: .seconds(60)) == 0)
        _ = await curl.waitForExit(timeout: .seconds(10))

        let mismatches = try await CommandResult.run(["/usr/bin/sqlite3", database, Self.mismatchSQL], in: directory)
        #expect(mismatches.exitCode == 0, "\(mismatches.standardError)")
        #expect(mismatches.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "rows that disagree with a recount")
        let rows = try await CommandResult.run(["/usr/bin/sqlite3", database, "SELECT COUNT(*) FROM daily_stats"], in: directory)
        #expect((Int(rows.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 1)
        let runs = try await CommandResult.run(
            ["/usr/bin/sqlite3", database, "SELECT outcome FROM batch_runs WHERE trigger = 'manual'"], in: directory
        )
        #expect(["done", "interrupted"].contains(runs.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)), "the run was recorded: \(runs.standardOutput)")
    }

    private func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<2000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// A year of issues, resolutions and comments, spread over every day. The
    /// first start's catch-up counted an empty database: those rows go too.
    static let seedSQL = """
        DELETE FROM daily_stats;
        INSERT INTO users (id, username, passwordHash, role, createdAt) VALUES (1000, 'seed', 'x', 'MEMBER', 0);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
        INSERT INTO issues (title, description, status, priority, reporterId, createdAt, updatedAt)
        SELECT 't', '', 'OPEN', 'LOW', 1000, (1795564800 - (i * 1571) % (366 * 86400)) * 1000 + i % 1000, 0 FROM n;
        INSERT INTO issue_status_events (issueId, fromStatus, toStatus, at, actorId)
        SELECT id, 'OPEN', CASE WHEN id % 2 = 0 THEN 'RESOLVED' ELSE 'CLOSED' END, createdAt + 3600000 * (id % 30), 1000 FROM issues WHERE id % 3 = 0;
        INSERT INTO comments (issueId, authorId, content, createdAt, updatedAt)
        SELECT id, 1000, 'c', createdAt + 7200000 * (id % 20), 0 FROM issues WHERE id % 2 = 0;
        """

    /// Days whose row disagrees with a recount of the same UTC day.
    static let mismatchSQL = """
        SELECT COUNT(*) FROM daily_stats d WHERE
          d.createdCount != (SELECT COUNT(*) FROM issues WHERE createdAt >= unixepoch(d.date) * 1000 AND createdAt < unixepoch(d.date, '+1 day') * 1000)
          OR d.commentCount != (SELECT COUNT(*) FROM comments WHERE createdAt >= unixepoch(d.date) * 1000 AND createdAt < unixepoch(d.date, '+1 day') * 1000)
          OR d.resolvedCount != (SELECT COUNT(DISTINCT issueId) FROM issue_status_events WHERE toStatus IN ('RESOLVED', 'CLOSED')
                                 AND at >= unixepoch(d.date) * 1000 AND at < unixepoch(d.date, '+1 day') * 1000);
        """
}
