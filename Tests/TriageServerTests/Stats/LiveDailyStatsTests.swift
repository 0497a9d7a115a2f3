import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageCron
@testable import TriageServer

/// Today's live row (issue #17): counted by the batch's rules over [today 00:00,
/// now) in stats.timezone, marked partial, kept stats.liveTtl seconds whatever
/// is written meanwhile, and shown as gauges.
@Suite(.timeLimit(.minutes(1))) struct LiveDailyStatsTests {
    /// The fixture's clock starts at 2026-05-28 20:26:40 UTC: already 2026-05-29 in Auckland (UTC+12).
    static let auckland = "2026-05-29"

    static func settings(liveTTL: Double = 10) throws -> Settings {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.statsTimeZone = try #require(TimeZone(identifier: "Pacific/Auckland"))
        settings.statsLiveTTL = liveTTL
        return settings
    }

    @Test func todayIsCountedLiveByTheBatchsRulesAndMarkedPartial() async throws {
        try await TrackerFixture.with(settings: try Self.settings()) { fixture in
            let member = try await fixture.user("member", .member)
            let zone = ZonedTime(zone: fixture.settings.current.statsTimeZone)
            let today = try #require(CivilDate(Self.auckland))
            let midnight = DayWindow(date: today, zone: zone).start
            // Before today's midnight in Auckland (the same UTC date): not today.
            _ = try await fixture.store.issues.create(Self.issue("yesterday", by: member.user.id), at: midnight.addingTimeInterval(-1))
            let first = try await fixture.store.issues.create(Self.issue("first", by: member.user.id), at: midnight)
            _ = try await fixture.store.issues.create(Self.issue("second", by: member.user.id), at: fixture.clock.now())
            _ = try await fixture.store.issues.update(id: first.id, IssueChanges(status: .resolved), actorId: member.user.id, at: fixture.clock.now())
            _ = try await fixture.store.issues.update(id: first.id, IssueChanges(status: .closed), actorId: member.user.id, at: fixture.clock.now())
            _ = try await fixture.store.comments.create(issueId: first.id, authorId: member.user.id, content: "c", at: fixture.clock.now())
            _ = try await fixture.store.stats.aggregate(DayWindow(date: today.adding(days: -1), zone: zone), at: fixture.clock.now())

            try await fixture.test(.router) { client in
                let response = try await client.call(.get, "/api/stats/daily?from=2026-05-28&to=2026-06-30", token: member.token)
                #expect(response.status == .ok)
                let days = try response.decode([DailyStats].self)
                #expect(days.map(\.date.description) == ["2026-05-28", Self.auckland], "yesterday's row, then today's; nothing after today")
                #expect(days.first?.partial == false)
                #expect(days.first?.createdCount == 1)
                let live = try #require(days.last)
                #expect(live.partial)
                let counts: [Int] = [live.createdCount, live.resolvedCount, live.commentCount]
                #expect(counts == [2, 1, 1], "RESOLVED then CLOSED is one resolution")
                #expect(live.aggregatedAt == fixture.clock.now())
                let raw = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(raw.compactMap { $0["partial"] as? Bool } == [false, true], "every row says whether it is partial")
            }
            // What the batch would write for today at this instant is what was shown.
            guard case .aggregated(let batch) = try await fixture.store.stats.aggregate(DayWindow(date: today, zone: zone), at: fixture.clock.now()) else {
                Issue.record("today was not aggregated")
                return
            }
            let batchCounts: [Int] = [batch.createdCount, batch.resolvedCount, batch.commentCount]
            #expect(batchCounts == [2, 1, 1])
            try await fixture.test(.router) { client in
                let days = try await client.call(.get, "/api/stats/daily?from=\(Self.auckland)&to=\(Self.auckland)", token: member.token)
                    .decode([DailyStats].self)
                #expect(days.count == 1 && days.first?.partial == true, "a batch row for today is replaced by the live one: \(days)")
            }
        }
    }

    @Test func theRowIsKeptForLiveTtlAndAWriteDoesNotEvictIt() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 10)) { fixture in
            let member = try await fixture.user("member", .member)
            let clock = fixture.clock
            try await fixture.test(.router) { (client: any TestClientProtocol) async throws -> Void in
                #expect(try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"a","description":""}"#).status == .created)
                #expect(try await Self.createdToday(client, member.token) == 1)
                #expect(try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"b","description":""}"#).status == .created)
                clock.advance(by: 9.9)
                #expect(try await Self.createdToday(client, member.token) == 1, "within stats.liveTtl the counted row is served")
                clock.advance(by: 0.1)
                #expect(try await Self.createdToday(client, member.token) == 2, "then counted again")
            }
            let statistics = await fixture.application.liveStats.cache.statistics()
            #expect(statistics.name == "stats-today" && statistics.loads == 2 && statistics.hits == 1)
            #expect(fixture.application.caches.cache(named: "stats-today") != nil, "triagectl cache stats and flush see it")
        }
    }

    @Test func aLiveTtlOfZeroCountsEveryRequest() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 0)) { fixture in
            let member = try await fixture.user("member", .member)
            try await fixture.test(.router) { client in
                for expected in 1...3 {
                    #expect(try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"a","description":""}"#).status == .created)
                    let days = try await client.call(.get, "/api/stats/daily?from=\(Self.auckland)&to=\(Self.auckland)", token: member.token)
                        .decode([DailyStats].self)
                    #expect(days.last?.createdCount == expected)
                }
            }
        }
    }

    @Test func aRangeWithoutTodayCountsNothingLive() async throws {
        try await TrackerFixture.with(settings: try Self.settings()) { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            try await fixture.test(.router) { client in
                let days = try await client.call(.get, "/api/stats/daily?from=2026-05-01&to=2026-05-28", token: viewer.token).decode([DailyStats].self)
                #expect(days.isEmpty)
            }
            #expect(await fixture.application.liveStats.cache.statistics().misses == 0)
        }
    }

    @Test func midnightStartsTheNextDaysRow() async throws {
        try await TrackerFixture.with(settings: try Self.settings()) { fixture in
            let zone = ZonedTime(zone: fixture.settings.current.statsTimeZone)
            let today = try #require(CivilDate(Self.auckland))
            let end = DayWindow(date: today, zone: zone).end
            fixture.clock.advance(by: end.timeIntervalSince(fixture.clock.now()) - 1)
            let member = try await fixture.user("member", .member)
            _ = try await fixture.store.issues.create(Self.issue("late", by: member.user.id), at: fixture.clock.now())
            try await fixture.test(.router) { client in
                let path = "/api/stats/daily?from=\(Self.auckland)&to=\(today.adding(days: 1))"
                let before = try await client.call(.get, path, token: member.token).decode([DailyStats].self)
                #expect(before.map(\.date) == [today] && before.first?.createdCount == 1)
                fixture.clock.advance(by: 1)
                let after = try await client.call(.get, path, token: member.token).decode([DailyStats].self)
                #expect(after.map(\.date) == [today.adding(days: 1)], "yesterday waits for the batch; the new day starts at 0: \(after)")
                #expect(after.first?.createdCount == 0 && after.first?.partial == true)
            }
        }
    }

    @Test func metricsShowTodaysCountsAsGauges() async throws {
        try await TrackerFixture.with(settings: try Self.settings()) { fixture in
            let member = try await fixture.user("member", .member)
            let issue = try await fixture.store.issues.create(Self.issue("one", by: member.user.id), at: fixture.clock.now())
            _ = try await fixture.store.comments.create(issueId: issue.id, authorId: member.user.id, content: "c", at: fixture.clock.now())
            try await fixture.test(.router) { client in
                let metrics = try await client.call(.get, "/metrics").text
                let lines = Set(metrics.split(separator: "\n").map(String.init))
                #expect(lines.isSuperset(of: ["triage_stats_today_created 1.0", "triage_stats_today_resolved 0.0", "triage_stats_today_comments 1.0"]), "\(metrics)")
            }
        }
    }

    /// The fixture's clock is 20:26:40 UTC: today's finished hours end at 20:00 UTC.
    static let finishedAt = Date(timeIntervalSince1970: 1_780_000_000 - 1_600)

    /// Finished hours are counted once; only the current hour is counted again, until a
    /// deletion (through the API, of an issue or a comment) or their lifetime ends.
    @Test func finishedHoursAreCountedOnceUntilADeletion() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 0)) { fixture in
            let member = try await fixture.user("member", .member)
            let issues = fixture.store.issues
            let early = try await issues.create(Self.issue("A", by: member.user.id), at: Self.finishedAt.addingTimeInterval(-1800))
            _ = try await issues.create(Self.issue("B", by: member.user.id), at: Self.finishedAt.addingTimeInterval(-1200))
            let clock = fixture.clock
            try await fixture.test(.router) { (client: any TestClientProtocol) async throws -> Void in
                #expect(try await Self.createdToday(client, member.token) == 2)
                // Stamped in a finished hour after it was counted (another instance's clock behind):
                // not seen until the finished hours are counted again.
                for title in ["C1", "C2"] {
                    _ = try await issues.create(Self.issue(title, by: member.user.id), at: Self.finishedAt.addingTimeInterval(-600))
                }
                #expect(try await Self.createdToday(client, member.token) == 2)
                #expect(try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"D","description":""}"#).status == .created)
                #expect(try await Self.createdToday(client, member.token) == 3, "the current hour is counted every time")
                #expect(try await client.call(.delete, "/api/issues/\(early.id)", token: member.token).status == .noContent)
                #expect(try await Self.createdToday(client, member.token) == 4, "a deletion recounts the finished hours: B, C1, C2, then D")
                _ = try await issues.create(Self.issue("E", by: member.user.id), at: Self.finishedAt.addingTimeInterval(-300))
                clock.advance(by: LiveDailyStats.finishedHoursLifetime)
                #expect(try await Self.createdToday(client, member.token) == 5, "and their lifetime ends")
            }
            let hours = await fixture.application.liveStats.finishedHours.statistics()
            #expect(hours.name == "stats-today-hours" && hours.loads == 3, "\(hours)")
        }
    }

    @Test func aCommentDeletedThroughTheAPIRecountsTheFinishedHours() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 0)) { fixture in
            let member = try await fixture.user("member", .member)
            let issue = try await fixture.store.issues.create(Self.issue("A", by: member.user.id), at: Self.finishedAt.addingTimeInterval(-900))
            let comment = try await fixture.store.comments.create(
                issueId: issue.id, authorId: member.user.id, content: "c", at: Self.finishedAt.addingTimeInterval(-600)
            )
            try await fixture.test(.router) { (client: any TestClientProtocol) async throws -> Void in
                let path = "/api/stats/daily?from=\(Self.auckland)&to=\(Self.auckland)"
                #expect(try await client.call(.get, path, token: member.token).decode([DailyStats].self).last?.commentCount == 1)
                #expect(try await client.call(.delete, "/api/comments/\(comment.id)", token: member.token).status == .noContent)
                #expect(try await client.call(.get, path, token: member.token).decode([DailyStats].self).last?.commentCount == 0)
            }
        }
    }

    /// RESOLVED in a finished hour and CLOSED in the current one is one resolution, as the batch counts it.
    @Test func aResolutionAcrossTheHourIsOneIssue() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 0)) { fixture in
            let member = try await fixture.user("member", .member)
            let issues = fixture.store.issues
            let issue = try await issues.create(Self.issue("A", by: member.user.id), at: Self.finishedAt.addingTimeInterval(-3000))
            _ = try await issues.update(id: issue.id, IssueChanges(status: .resolved), actorId: member.user.id, at: Self.finishedAt.addingTimeInterval(-2000))
            let live = fixture.application.liveStats
            #expect(try await live.todayRow().resolvedCount == 1)
            _ = try await issues.update(id: issue.id, IssueChanges(status: .closed), actorId: member.user.id, at: fixture.clock.now())
            #expect(try await live.todayRow().resolvedCount == 1)
        }
    }

    /// Writes of every kind spread over eight hours, crossing hour after hour: after each
    /// step the live row equals what the batch writes for today at that instant.
    @Test func theLiveRowEqualsTheBatchHourAfterHour() async throws {
        try await TrackerFixture.with(settings: try Self.settings(liveTTL: 0)) { fixture in
            let member = try await fixture.user("member", .member)
            let store = fixture.store
            let zone = ZonedTime(zone: fixture.settings.current.statsTimeZone)
            let today = try #require(CivilDate(Self.auckland))
            let live = fixture.application.liveStats
            var generator = SystemRandomNumberGenerator()
            var open: [IssueID] = []
            var resolved: [IssueID] = []
            var comments: [CommentID] = []
            for step in 0..<30 {
                fixture.clock.advance(by: Double.random(in: 60...1500, using: &generator))
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let now = fixture.clock.now()
                    switch Int.random(in: 0..<6, using: &generator) {
                    case 0, 1:
                        open.append(try await store.issues.create(Self.issue("s\(step)", by: member.user.id), at: now).id)
                    case 2 where !open.isEmpty:
                        let id = open.removeFirst()
                        _ = try await store.issues.update(id: id, IssueChanges(status: .resolved), actorId: member.user.id, at: now)
                        resolved.append(id)
                    case 3 where !resolved.isEmpty:
                        // Closed or reopened: the first counts nothing new, the second lets a later resolution count.
                        let id = resolved.removeFirst()
                        let next: IssueStatus = Bool.random(using: &generator) ? .closed : .open
                        _ = try await store.issues.update(id: id, IssueChanges(status: next), actorId: member.user.id, at: now)
                        if next == .open { open.append(id) }
                    case 4 where !open.isEmpty:
                        let target = try #require(open.randomElement(using: &generator))
                        comments.append(try await store.comments.create(issueId: target, authorId: member.user.id, content: "c", at: now).id)
                    case 5 where !comments.isEmpty:
                        try await store.comments.delete(id: comments.removeFirst())
                        await fixture.services.forgetDeletedToday()
                    default:
                        break
                    }
                }
                let shown = try await live.todayRow()
                guard case .aggregated(let batch) = try await store.stats.aggregate(DayWindow(date: today, zone: zone), at: fixture.clock.now()) else {
                    Issue.record("step \(step): today was not aggregated")
                    return
                }
                let liveCounts: [Int] = [shown.createdCount, shown.resolvedCount, shown.commentCount]
                let batchCounts: [Int] = [batch.createdCount, batch.resolvedCount, batch.commentCount]
                #expect(liveCounts == batchCounts, "step \(step) at \(fixture.clock.now())")
            }
            #expect(await live.finishedHours.statistics().loads >= 8, "hour after hour, finished hours were counted apart")
        }
    }

    static func createdToday(_ client: any TestClientProtocol, _ token: String) async throws -> Int? {
        try await client.call(.get, "/api/stats/daily?from=\(auckland)&to=\(auckland)", token: token).decode([DailyStats].self).last?.createdCount
    }

    static func issue(_ title: String, by reporter: UserID) -> NewIssue {
        NewIssue(title: title, description: "", priority: .medium, reporterId: reporter, assigneeId: nil)
    }
}
