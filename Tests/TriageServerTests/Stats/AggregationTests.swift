import Foundation
import Testing
@testable import TriageCron
@testable import TriageServer

/// DESIGN §4: exact counts over the half-open local day.
@Suite(.timeLimit(.minutes(2))) struct AggregationTests {
    @Test(arguments: StoreKind.allCases) func theDayWindowIsHalfOpenToTheMillisecond(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let first = try await fixture.issue(at: fixture.local("2026-11-24", 0, 0, 0, 0))
            let last = try await fixture.issue(at: fixture.local("2026-11-24", 23, 59, 59, 999))
            let before = try await fixture.issue(at: fixture.local("2026-11-23", 23, 59, 59, 999))
            let after = try await fixture.issue(at: fixture.local("2026-11-25", 0, 0, 0, 0))
            try await fixture.comment(on: before, at: fixture.local("2026-11-24", 0, 0, 0, 0))
            try await fixture.comment(on: after, at: fixture.local("2026-11-25", 0, 0, 0, 0))
            try await fixture.comment(on: first, at: fixture.local("2026-11-23", 23, 59, 59, 999))
            try await fixture.move(first, to: .resolved, at: fixture.local("2026-11-24", 23, 59, 59, 999))
            try await fixture.move(last, to: .closed, at: fixture.local("2026-11-25", 0, 0, 0, 0))

            let report = try await fixture.batch().run(days: [day("2026-11-24")], trigger: .manual)
            #expect(report.run.outcome == .done)
            let row = try #require(try await fixture.row("2026-11-24"))
            #expect(row.createdCount == 2)
            #expect(row.commentCount == 1)
            #expect(row.resolvedCount == 1)
            #expect(row.aggregatedAt == fixture.clock.now())
        }
    }

    @Test(arguments: StoreKind.allCases) func shortAndLongDSTDaysCountEveryHour(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            // 29 March 2026 has 23 hours in Berlin, 25 October 25.
            for hour in [0, 1, 3, 12, 23] { try await fixture.issue(at: fixture.local("2026-03-29", hour, 30)) }
            try await fixture.issue(at: fixture.local("2026-03-30", 0, 0))
            try await fixture.issue(at: try Date("2026-10-25T00:30:00Z", strategy: .iso8601))  // 02:30 CEST, first pass
            try await fixture.issue(at: try Date("2026-10-25T01:30:00Z", strategy: .iso8601))  // 02:30 CET, second pass
            try await fixture.issue(at: try Date("2026-10-25T22:59:59Z", strategy: .iso8601))  // 23:59:59 CET
            try await fixture.issue(at: try Date("2026-10-25T23:00:00Z", strategy: .iso8601))  // 26 October 00:00 CET
            _ = try await fixture.batch().run(days: [day("2026-03-29"), day("2026-10-25")], trigger: .manual)
            #expect(try await fixture.row("2026-03-29")?.createdCount == 5)
            #expect(try await fixture.row("2026-10-25")?.createdCount == 3)
        }
    }

    @Test(arguments: StoreKind.allCases) func resolvedCountsIssuesEnteringResolvedOrClosedFromTheHistory(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let sameDay = try await fixture.issue(at: fixture.local("2026-11-01", 9))
            try await fixture.move(sameDay, to: .resolved, at: fixture.local("2026-11-02", 10))
            try await fixture.move(sameDay, to: .closed, at: fixture.local("2026-11-02", 11))

            let reopened = try await fixture.issue(at: fixture.local("2026-11-01", 9))
            try await fixture.move(reopened, to: .resolved, at: fixture.local("2026-11-02", 12))
            try await fixture.move(reopened, to: .open, at: fixture.local("2026-11-03", 9))
            try await fixture.move(reopened, to: .resolved, at: fixture.local("2026-11-04", 9))

            let closedLater = try await fixture.issue(at: fixture.local("2026-11-01", 9))
            try await fixture.move(closedLater, to: .resolved, at: fixture.local("2026-11-02", 13))
            try await fixture.move(closedLater, to: .closed, at: fixture.local("2026-11-03", 13))

            let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"].map(day)
            _ = try await fixture.batch().run(days: days, trigger: .manual)
            #expect(try await fixture.row("2026-11-02")?.resolvedCount == 3, "RESOLVED then CLOSED on one day counts once")
            #expect(try await fixture.row("2026-11-03")?.resolvedCount == 1, "a reopen is not a resolution; closing later is")
            #expect(try await fixture.row("2026-11-04")?.resolvedCount == 1, "resolving again after a reopen counts on its day")

            // A later edit of an old issue never moves it.
            fixture.clock.advance(by: 86_400)
            _ = try await fixture.store.issues.update(id: sameDay.id, IssueChanges(title: "renamed", priority: .high), actorId: fixture.reporter.id, at: fixture.clock.now())
            _ = try await fixture.batch().run(days: days, trigger: .manual)
            #expect(try await fixture.row("2026-11-02")?.resolvedCount == 3)
        }
    }

    /// Today's live row is counted in parts (finished hours, then the current one): on each
    /// store the parts add up to the whole day's count at every boundary, a resolution
    /// before a boundary and a CLOSED or a second resolution after it included.
    @Test(arguments: StoreKind.allCases) func aDaysPartsAddUpToTheWholeDay(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let crossing = try await fixture.issue(at: fixture.local("2026-11-02", 8))
            try await fixture.move(crossing, to: .resolved, at: fixture.local("2026-11-02", 9, 30))
            try await fixture.move(crossing, to: .closed, at: fixture.local("2026-11-02", 14))
            let reopened = try await fixture.issue(at: fixture.local("2026-11-02", 10))
            try await fixture.move(reopened, to: .resolved, at: fixture.local("2026-11-02", 11))
            try await fixture.move(reopened, to: .open, at: fixture.local("2026-11-02", 12))
            try await fixture.move(reopened, to: .resolved, at: fixture.local("2026-11-02", 16))
            let late = try await fixture.issue(at: fixture.local("2026-11-02", 13))
            try await fixture.move(late, to: .resolved, at: fixture.local("2026-11-02", 15))
            _ = try await fixture.store.comments.create(issueId: late.id, authorId: fixture.reporter.id, content: "c", at: fixture.local("2026-11-02", 13, 30))

            let day = DayWindow(date: try #require(CivilDate("2026-11-02")), zone: fixture.zone)
            let whole = try await fixture.store.stats.counts(in: day, from: day.start)
            #expect(whole == DayCounts(created: 3, resolved: 3, comments: 1))
            for hour in 0...24 {
                let boundary = day.start.addingTimeInterval(Double(hour) * 3600)
                let earlier = try await fixture.store.stats.counts(in: day.ending(at: boundary), from: day.start)
                let later = try await fixture.store.stats.counts(in: day, from: boundary)
                #expect(earlier + later == whole, "split at \(hour):00: \(earlier) + \(later)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func reRunningADayIsIdempotent(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let issue = try await fixture.issue(at: fixture.local("2026-11-20", 12))
            try await fixture.comment(on: issue, at: fixture.local("2026-11-20", 13))
            _ = try await fixture.batch().run(days: [day("2026-11-20")], trigger: .manual)
            let first = try #require(try await fixture.row("2026-11-20"))
            fixture.clock.advance(by: 60)
            _ = try await fixture.batch().run(days: [day("2026-11-20")], trigger: .manual)
            let second = try #require(try await fixture.row("2026-11-20"))
            #expect((first.createdCount, first.resolvedCount, first.commentCount) == (second.createdCount, second.resolvedCount, second.commentCount))
            #expect(second.aggregatedAt == first.aggregatedAt.addingTimeInterval(60))
            #expect(try await fixture.store.stats.daily(from: day("2026-11-01"), to: day("2026-11-30")).count == 1)
        }
    }
}
