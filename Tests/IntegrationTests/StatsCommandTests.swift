import Foundation
import Testing
import TriageControlAPI
import TriageTestSupport

/// `triagectl stats` (issue #17) against the real daemon: today's live row with
/// the API's numbers, a chart on a terminal (a pseudo-terminal from `script`),
/// plain columns in a pipe, the daemon's JSON with `--json`, and its refusals.
@Suite(.timeLimit(.minutes(2))) struct StatsCommandTests {
    @Test func todayIsChartedOnATerminalAndListedInAPipe() async throws {
        let daemon = try TestDaemon(environment: DailyStatsIntegrationTests.utc.merging(["TRIAGE_STATS_CATCH_UP_DAYS": "0"]) { $1 })
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "member", role: "member")
        var ids: [String] = []
        for title in ["one", "two"] {
            let created = try await daemon.send(.POST, "/api/issues", json: #"{"title":"\#(title)","description":""}"#, token: token)
            #expect(created.status == 201)
            ids.append(try #require(created.body.firstMatch(of: /"id":(\d+)/).map { String($0.output.1) }))
        }
        #expect(try await daemon.send(.PATCH, "/api/issues/\(ids[0])", json: #"{"status":"RESOLVED"}"#, token: token).status == 200)
        #expect(try await daemon.send(.POST, "/api/issues/\(ids[0])/comments", json: #"{"content":"done"}"#, token: token).status == 201)

        let json = try await daemon.ctl("stats", "--days", "3", "--json")
        #expect(json.exitCode == 0, "\(json.standardError)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { try Date($0.singleValueContainer().decode(String.self), strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)) }
        let report = try decoder.decode(DailyStatsReport.self, from: Data(json.standardOutput.utf8))
        let today = try #require(report.days.last)
        #expect(["UTC", "GMT"].contains(report.timeZone) && report.to == today.date, "\(report)")
        #expect(today.partial && [today.createdCount, today.resolvedCount, today.commentCount] == [2, 1, 1], "\(report)")
        let api = try await daemon.send(.GET, "/api/stats/daily?from=\(report.from)&to=\(report.to)", token: token)
        #expect(api.body.contains(#""createdCount":2"#) && api.body.contains(#""partial":true"#), "the same row as the API: \(api.body)")
        // The live row's cache is an operator's like the popular one.
        let caches = try TestDaemon.json(try await daemon.ctl("cache", "stats", "--json").standardOutput, as: [[String: Any]].self)
        let live = try #require(caches.first { $0["name"] as? String == "stats-today" }, "\(caches)")
        #expect((live["loads"] as? Int ?? 0) >= 1 && live["entries"] as? Int == 1, "\(live)")
        let flushed = try await daemon.ctl("cache", "flush", "stats-today")
        #expect(flushed.exitCode == 0 && flushed.standardOutput.contains("stats-today"), "\(flushed.standardOutput)")

        let piped = try await daemon.ctl("stats", "--days", "3")
        #expect(piped.exitCode == 0, "\(piped.standardError)")
        let lines = piped.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["DATE", "CREATED", "RESOLVED", "COMMENTS", "NOTE"])
        #expect(lines.count == 1 + 3 + 3, "a header, one line per day, totals, the ratio, the partial note: \(lines)")
        #expect(lines[1].hasSuffix("not aggregated") && lines[2].hasSuffix("not aggregated"), "\(lines)")
        #expect(lines[3].split(separator: " ") == [Substring(today.date), "2", "1", "1", "partial"], "\(lines)")
        #expect(Array(lines[4...5]) == ["total: created 2, resolved 1, comments 1", "resolved/created: 0.50"])
        #expect(lines[6].hasPrefix("* today so far (partial), counted \(today.date)T"), "\(lines[6])")
        #expect(!piped.standardOutput.contains("█"), "no bars in a pipe")

        // A pseudo-terminal without a size: the width comes from $COLUMNS.
        let command = "COLUMNS=60 \(Binaries.triagectl) stats --days 3 --socket \(daemon.socketPath)"
        let terminal = try await CommandResult.run(["/usr/bin/script", "-qec", command, "/dev/null"], in: daemon.directory)
        #expect(terminal.exitCode == 0, "\(terminal.standardOutput) \(terminal.standardError)")
        let drawn = terminal.standardOutput.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(drawn.first == "Issues per day, \(report.from) to \(report.to) (\(report.timeZone))", "\(drawn)")
        let todayLine = try #require(drawn.first { $0.hasPrefix(today.date) }, "\(drawn)")
        #expect(todayLine.hasPrefix(today.date + "*"), "today is marked: \(todayLine)")
        #expect(todayLine.contains("█"), "bars on a terminal: \(todayLine)")
        #expect(drawn.allSatisfy { $0.count <= 60 }, "every line fits the terminal: \(drawn.map(\.count))")
        #expect(drawn.contains("total: created 2, resolved 1, comments 1") && drawn.contains("resolved/created: 0.50"), "\(drawn)")
    }

    @Test func badRangesAreRefusedOrUsageErrors() async throws {
        let daemon = try TestDaemon(environment: DailyStatsIntegrationTests.utc)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let reversed = try await daemon.ctl("stats", "--from", "2026-02-02", "--to", "2026-02-01")
        #expect(reversed.exitCode == 1 && reversed.standardError.contains("to: must not be before from"), "\(reversed.standardError)")
        let long = try await daemon.ctl("stats", "--from", "2024-01-01", "--to", "2026-01-01")
        #expect(long.exitCode == 1 && long.standardError.contains("at most 366"), "\(long.standardError)")
        #expect(try await daemon.ctl("stats", "--days", "0").exitCode == 64)
        #expect(try await daemon.ctl("stats", "--days", "3", "--from", "2026-01-01", "--to", "2026-01-02").exitCode == 64)
        #expect(try await daemon.ctl("stats", "--from", "2026-01-01").exitCode == 64)
        let old = try await daemon.ctl("stats", "--from", "2020-01-01", "--to", "2020-01-02")
        #expect(old.exitCode == 0 && old.standardOutput.contains("2020-01-02") && old.standardOutput.contains("not aggregated"), "\(old.standardOutput)")
    }
}
