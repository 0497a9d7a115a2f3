import Foundation
import Testing
import TriageTestSupport

/// `triagectl schedule next` (issue #18) through the real binary: DST moves
/// marked, Spring's reading shown beside cron's, errors with their column, the
/// daemon's own schedule previewed over the socket, and the daemon's notice.
@Suite(.timeLimit(.minutes(2))) struct ScheduleCommandTests {
    static func schedule(_ arguments: String..., environment: [String: String] = ["PATH": "/usr/bin:/bin"]) async throws -> CommandResult {
        try await TemporaryDirectory.with { directory in
            try await CommandResult.run([Binaries.triagectl, "schedule", "next"] + arguments, in: directory, environment: environment)
        }
    }

    @Test func firingsMovedByDSTAreMarkedInTheZoneAndInUTC() async throws {
        let spring = try await Self.schedule("0 30 2 * * *", "--zone", "Europe/Berlin", "--after", "2027-03-27T00:00:00Z", "--count", "2")
        #expect(spring.exitCode == 0, "\(spring.standardError)")
        let springLines = spring.standardOutput.split(separator: "\n").map(String.init)
        #expect(springLines.prefix(2) == ["expression  0 30 2 * * *", "zone        Europe/Berlin"], "\(springLines)")
        #expect(springLines.contains { $0.hasPrefix("1  Sat 2027-03-27 02:30:00 +01:00  2027-03-27 01:30:00Z") && !$0.contains("DST") }, "\(springLines)")
        #expect(springLines.contains {
            $0.hasPrefix("2  Sun 2027-03-28 03:00:00 +02:00  2027-03-28 01:00:00Z") && $0.hasSuffix("02:30:00 does not exist that day (DST gap): runs after the gap")
        }, "\(springLines)")

        let autumn = try await Self.schedule("0 30 2 * * *", "--zone", "Europe/Berlin", "--after", "2027-10-30T12:00:00Z", "--count", "2", "--json")
        #expect(autumn.exitCode == 0, "\(autumn.standardError)")
        let document = try TestDaemon.json(autumn.standardOutput)
        let firings = try #require(document["firings"] as? [[String: Any]])
        #expect(firings.map { $0["at"] as? String } == ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"], "the first of the two 02:30s")
        #expect(firings.map { $0["local"] as? String } == ["2027-10-31T02:30:00+02:00", "2027-11-01T02:30:00+01:00"])
        #expect(firings[0]["dst"] as? String == "repeated" && firings[1]["dst"] is NSNull, "\(firings)")
        #expect(document["springFirings"] is NSNull && document["zone"] as? String == "Europe/Berlin")

        let gap = try TestDaemon.json(try await Self.schedule("0 30 2 * * *", "--zone", "Europe/Berlin", "--after", "2027-03-27T12:00:00Z", "--count", "1", "--json").standardOutput)
        let moved = try #require((gap["firings"] as? [[String: Any]])?.first)
        #expect(moved["scheduled"] as? String == "2027-03-28T02:30:00" && moved["local"] as? String == "2027-03-28T03:00:00+02:00" && moved["dst"] as? String == "skipped", "\(moved)")
    }

    @Test func aSixFieldExpressionRestrictingBothDayFieldsShowsSpringsReadingToo() async throws {
        let result = try await Self.schedule("0 0 0 13 * FRI", "--zone", "UTC", "--after", "2026-12-03T12:00:00Z", "--count", "2")
        #expect(result.exitCode == 0, "\(result.standardError)")
        let text = result.standardOutput
        #expect(text.contains("1  Fri 2026-12-04 00:00:00 +00:00") && text.contains("2  Fri 2026-12-11 00:00:00 +00:00"), "cron's OR: \(text)")
        #expect(text.contains("Spring's @Scheduled and Quartz fire only on days both allow"), "\(text)")
        #expect(text.contains("1  Fri 2027-08-13 00:00:00 +00:00") && text.contains("2  Fri 2028-10-13 00:00:00 +00:00"), "Spring's AND: \(text)")
        let five = try await Self.schedule("0 0 13 * FRI", "--zone", "UTC", "--count", "1")
        #expect(five.exitCode == 0 && !five.standardOutput.contains("Spring"), "5 fields are cron's own: \(five.standardOutput)")
        let macro = try await Self.schedule("@weekly", "--zone", "UTC", "--after", "2026-12-03T12:00:00Z", "--count", "1")
        #expect(macro.standardOutput.contains("1  Sun 2026-12-06 00:00:00 +00:00"), "\(macro.standardOutput)")
    }

    @Test func anInvalidExpressionExits1NamingItsColumnAndBadOptionsAreUsageErrors() async throws {
        let invalid = try await Self.schedule("0 0 3 32 * *")
        #expect(invalid.exitCode == 1)
        #expect(invalid.standardOutput.isEmpty)
        #expect(invalid.standardError.contains(#"day-of-month field "32" 32 is outside 1–31 (column 7)"#), "\(invalid.standardError)")
        #expect(invalid.standardError.contains("  0 0 3 32 * *\n        ^^\n"), "a caret under the field: \(invalid.standardError)")
        let quartz = try await Self.schedule("0 0 3 ? * MON#6")
        #expect(quartz.exitCode == 1 && quartz.standardError.contains("(column 11)"), "\(quartz.standardError)")
        for arguments in [["@daily", "--count", "0"], ["@daily", "--zone", "Mars/Olympus"], ["@daily", "--after", "yesterday"]] {
            let result = try await TemporaryDirectory.with { directory in
                try await CommandResult.run([Binaries.triagectl, "schedule", "next"] + arguments, in: directory)
            }
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
        }
        let noDaemon = try await Self.schedule("--socket", "/nonexistent/control.sock")
        #expect(noDaemon.exitCode == 69, "without EXPR it needs the daemon: \(noDaemon.standardError)")
        #expect(noDaemon.standardError.contains("give an expression"), "\(noDaemon.standardError)")
    }

    @Test func withoutAnExpressionItPreviewsTheDaemonsScheduleWhichNoticesSpringsReading() async throws {
        let daemon = try TestDaemon(environment: ["TRIAGE_STATS_CRON": "0 0 3 13 * FRI", "TRIAGE_STATS_TIMEZONE": "Asia/Seoul"])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let preview = try await daemon.ctl("schedule", "next", "--count", "3")
        #expect(preview.exitCode == 0, "\(preview.standardError)")
        #expect(preview.standardOutput.hasPrefix("expression  0 0 3 13 * FRI\nzone        Asia/Seoul\n"), "\(preview.standardOutput)")
        #expect(preview.standardOutput.contains("03:00:00 +09:00") && preview.standardOutput.contains("Under their reading"), "\(preview.standardOutput)")
        let utc = try await daemon.ctl("schedule", "next", "--zone", "UTC", "--count", "1")
        #expect(utc.standardOutput.contains("zone        UTC") && utc.standardOutput.contains("03:00:00 +00:00"), "--zone overrides: \(utc.standardOutput)")
        let noticed = try await eventually { daemon.process.standardError.contains("stats.cron restricts both day-of-month and day-of-week in 6 fields") }
        #expect(noticed, "the daemon's notice: \(daemon.process.standardError.suffix(2000))")
        #expect(daemon.process.standardError.components(separatedBy: "restricts both day-of-month").count == 2, "said once")
    }
}
