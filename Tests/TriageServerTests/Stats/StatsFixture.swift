import Foundation
import Logging
import TriageTestSupport
@testable import TriageCron
@testable import TriageServer
import TriageTestDoubles

/// A real store (SQLite unless told), a manual clock and the batch, in a configurable zone.
struct StatsFixture {
    let store: any Store
    private let dispose: @Sendable () async -> Void
    let clock: ManualWallClock
    let settings: SettingsHolder
    let zone: ZonedTime
    let reporter: User
    let repository: any StatsRepository

    /// A fixture for the length of `body`; its store is disposed of afterwards.
    static func with<Result>(
        zone identifier: String = "Europe/Berlin", now: String = "2026-11-25T10:00:00Z", catchUpDays: Int = 7, store kind: StoreKind = .sqlite,
        repository wrap: ((any StatsRepository) -> any StatsRepository)? = nil, _ body: (StatsFixture) async throws -> Result
    ) async throws -> Result {
        let fixture = try await StatsFixture(zone: identifier, now: now, catchUpDays: catchUpDays, store: kind, repository: wrap)
        return try await scoped(fixture, cleanUp: { await $0.cleanUp() }, body)
    }

    private init(zone identifier: String, now: String, catchUpDays: Int, store kind: StoreKind,
                 repository wrap: ((any StatsRepository) -> any StatsRepository)?) async throws {
        clock = ManualWallClock(try Date(now, strategy: .iso8601))
        var configuration = try SettingsLoader().load(from: ConfigurationSources(environment: [
            "TRIAGE_STATS_TIMEZONE": identifier, "TRIAGE_STATS_CATCH_UP_DAYS": String(catchUpDays),
        ]))
        configuration.statsHistoryDays = 90
        settings = SettingsHolder(configuration)
        zone = ZonedTime(zone: configuration.statsTimeZone)
        (store, dispose) = try await kind.make()
        do {
            reporter = try await store.users.create(username: "reporter", passwordHash: "x", role: .member, at: clock.now())
        } catch {
            await dispose()
            throw error
        }
        let base = store.stats
        repository = wrap.map { $0(base) } ?? base
    }

    func batch(instance: String = "test:1") -> DailyStatsBatch {
        DailyStatsBatch(repository: repository, settings: settings, clock: clock, instance: instance, metrics: nil, logger: Logger(label: "test"))
    }

    /// A local wall time in the fixture's zone, e.g. `local("2026-11-24", 23, 59, 59, 999)`.
    func local(_ day: String, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, _ millisecond: Int = 0) -> Date {
        let date = CivilDate(day) ?? CivilDate(daysSinceEpoch: 0)
        let wall = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(zone.instant(atWall: wall)) + Double(millisecond) / 1000)
    }

    @discardableResult
    func issue(at date: Date) async throws -> TriageServer.Issue {
        try await store.issues.create(NewIssue(title: "t", description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: date)
    }

    func comment(on issue: TriageServer.Issue, at date: Date) async throws {
        _ = try await store.comments.create(issueId: issue.id, authorId: reporter.id, content: "c", at: date)
    }

    func move(_ issue: TriageServer.Issue, to status: IssueStatus, at date: Date) async throws {
        _ = try await store.issues.update(id: issue.id, IssueChanges(status: status), actorId: reporter.id, at: date)
    }

    /// The run history, or nil while a run in it is still going (recorded `running` at its start).
    func settledRuns() async throws -> [BatchRun]? {
        let runs = try await store.stats.runs(job: DailyStatsBatch.job, limit: 10)
        return runs.contains { $0.outcome == .running } ? nil : runs
    }

    func row(_ day: String) async throws -> DailyStats? {
        let date = CivilDate(day) ?? CivilDate(daysSinceEpoch: 0)
        return try await store.stats.daily(from: date, to: date).first
    }

    func cleanUp() async {
        await dispose()
    }
}

/// A test's date literal; a malformed one fails loudly instead of becoming some other day.
func day(_ text: String) -> CivilDate {
    guard let date = CivilDate(text) else { preconditionFailure("bad test date \(text)") }
    return date
}
