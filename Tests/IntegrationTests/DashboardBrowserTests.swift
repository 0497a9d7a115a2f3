import Foundation
import Testing
import TriageTestSupport

/// The dashboard in a real browser (issue #17): Debian's chromium, driven by
/// chromium-driver through selenium (Tests/Browser/dashboard_check.py), against
/// the real daemon with 40 days of history and a few writes today. The checks
/// are the script's; its screenshots stay in .build/test-output/dashboard.
@Suite(.timeLimit(.minutes(3))) struct DashboardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("Tests/Browser/dashboard_check.py").path
    static let output = ProcessInfo.processInfo.environment["TRIAGE_TEST_OUTPUT"].map { $0 + "/dashboard" }
        ?? root.appendingPathComponent(".build/test-output/dashboard").path

    @Test func signsInChartsTheAPIsNumbersAndLogsNoError() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromium-driver is installed by scripts/install-deps --test (make test)")
        let daemon = try TestDaemon(environment: DailyStatsIntegrationTests.utc.merging([
            "TRIAGE_STATS_CATCH_UP_DAYS": "0", "TRIAGE_EXTERNAL_URL": "http://127.0.0.1:9/posts/1", "TRIAGE_EXTERNAL_RETRIES": "0",
        ]) { $1 })
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "admin", role: "admin", password: "admin-password")

        // 40 days of history (varying per day), aggregated by the batch.
        let now = Int(Date().timeIntervalSince1970)
        let seeded = try await CommandResult.run(["/usr/bin/sqlite3", "-cmd", ".timeout 5000", daemon.directory.file("triage-data/triage.sqlite"), """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 900)
            INSERT INTO issues (title, description, status, priority, reporter_id, created_at, updated_at)
            SELECT 'history ' || i, '', 'OPEN', 'MEDIUM', 1, (\(now) - 86400 * (1 + (i * 7) % 40) - (i * 37) % 80000) * 1000, 0 FROM n
            WHERE (i * 7) % 40 < 40 - (i % 9);
            INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
            SELECT id, 'OPEN', 'RESOLVED', created_at + 3600000 * (1 + id % 40), 1 FROM issues WHERE id % 5 IN (0, 2, 3);
            INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
            SELECT id, 1, 'seen', created_at + 600000 * (id % 7), created_at FROM issues WHERE id % 3 > 0;
            SELECT COUNT(*) FROM issues;
            """], in: daemon.directory)
        #expect(seeded.exitCode == 0 && Int(seeded.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 500, "\(seeded)")
        let day = { (offset: Int) in ISO8601DateFormatter.string(from: Date(timeIntervalSinceNow: Double(offset) * 86_400), timeZone: .gmt, formatOptions: [.withFullDate]) }
        let run = try await daemon.ctl("batch", "run", "--from", day(-40), "--to", day(-1))
        #expect(run.exitCode == 0, "\(run.standardError)")

        // Today: issues, one resolved, comments and views (the popular list).
        for index in 1...6 {
            let created = try await daemon.send(.POST, "/api/issues", json: #"{"title":"today \#(index)","description":""}"#, token: token)
            let id = try #require(created.body.firstMatch(of: /"id":(\d+)/).map { String($0.output.1) })
            for _ in 0..<index { _ = try await daemon.send(.GET, "/api/issues/\(id)", token: token) }
            if index.isMultiple(of: 2) {
                #expect(try await daemon.send(.POST, "/api/issues/\(id)/comments", json: #"{"content":"on it"}"#, token: token).status == 201)
            }
            if index == 3 { #expect(try await daemon.send(.PATCH, "/api/issues/\(id)", json: #"{"status":"RESOLVED"}"#, token: token).status == 200) }
        }

        try FileManager.default.createDirectory(atPath: Self.output, withIntermediateDirectories: true)
        for shot in ["desktop.png", "mobile.png"] { try? FileManager.default.removeItem(atPath: Self.output + "/" + shot) }
        let port = try #require(daemon.httpPort)
        // The python3 of the tests' PATH, which has selenium (make test installs it there).
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let browser = try await CommandResult.run(
            ["/usr/bin/env", "python3", Self.script, "http://127.0.0.1:\(port)", "admin", "admin-password", Self.output], in: daemon.directory,
            environment: ["PATH": path, "HOME": daemon.directory.path, "LANG": "C.UTF-8", "SE_OFFLINE": "true"]
        )
        #expect(browser.exitCode == 0, "\(browser.standardOutput)\n\(browser.standardError.suffix(3000))")
        #expect(browser.standardOutput.contains(#"{"failures": 0}"#))
        for shot in ["desktop.png", "mobile.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: Self.output + "/" + shot)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(shot) was saved (\(size) bytes)")
        }
        #expect(!daemon.process.standardError.contains(#"msg="request failed""#), "no request ended in a server error")
    }
}
