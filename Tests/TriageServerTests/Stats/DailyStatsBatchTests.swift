import Foundation
import Logging
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageCron
@testable import TriageServer

/// A stats repository that fails or holds aggregations on demand, and counts overlap.
final class InstrumentedStatsRepository: StatsRepository {
    let base: any StatsRepository
    private let state = Mutex<(failuresLeft: Int, inFlight: Int, maximumInFlight: Int, aggregated: Int, liveCounts: Int)>((0, 0, 0, 0, 0))
    /// Every aggregation passes it; closed, "a run is in progress" is a state the test controls.
    let gate: Gate
    /// Days another instance is aggregating right now.
    let heldDays: Set<CivilDate>

    init(base: any StatsRepository, failures: Int = 0, held: Bool = false, heldDays: Set<CivilDate> = []) {
        self.base = base
        self.heldDays = heldDays
        gate = Gate(open: !held)
        state.withLock { $0.failuresLeft = failures }
    }

    var maximumInFlight: Int { state.withLock { $0.maximumInFlight } }
    var aggregated: Int { state.withLock { $0.aggregated } }

    func aggregate(_ window: DayWindow, at: Date) async throws(RepositoryError) -> DayAggregation {
        let fail = state.withLock { state -> Bool in
            state.inFlight += 1
            state.maximumInFlight = max(state.maximumInFlight, state.inFlight)
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return true
            }
            return false
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        await gate.pass()
        if fail { throw .unavailable("disk I/O error (injected)") }
        if heldDays.contains(window.date) { return .heldBy("other-host:7") }
        let stats = try await base.aggregate(window, at: at)
        state.withLock { $0.aggregated += 1 }
        return stats
    }

    /// How many times part of today was counted live.
    var liveCounts: Int { state.withLock { $0.liveCounts } }

    func counts(in window: DayWindow, from: Date) async throws(RepositoryError) -> DayCounts {
        state.withLock { $0.liveCounts += 1 }
        await gate.pass()
        return try await base.counts(in: window, from: from)
    }

    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] { try await base.daily(from: from, to: to) }
    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate> {
        try await base.aggregatedDays(from: from, to: to)
    }
    func acquireLease(job: String, holder: String, now: Date, until: Date) async throws(RepositoryError) -> LeaseResult {
        try await base.acquireLease(job: job, holder: holder, now: now, until: until)
    }
    func releaseLease(job: String, holder: String) async throws(RepositoryError) { try await base.releaseLease(job: job, holder: holder) }
    func takeOverLease(job: String, from previous: String, to holder: String, until: Date) async throws(RepositoryError) -> Bool {
        try await base.takeOverLease(job: job, from: previous, to: holder, until: until)
    }
    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun { try await base.recordRun(run, job: job) }
    func updateRun(_ run: BatchRun) async throws(RepositoryError) { try await base.updateRun(run) }
    func closeAbandonedRuns(job: String, reason: String) async throws(RepositoryError) -> Int { try await base.closeAbandonedRuns(job: job, reason: reason) }
    func runs(job: String, limit: Int) async throws(RepositoryError) -> [BatchRun] { try await base.runs(job: job, limit: limit) }
    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int { try await base.pruneRuns(startedBefore: cutoff) }
}

/// Runs `body` while `scheduler` runs in a task, then cancels that task and awaits
/// its end, also when `body` throws: the scheduler is stopped before the store goes.
private func whileRunning<Result>(_ scheduler: DailyStatsScheduler, _ body: () async throws -> Result) async throws -> Result {
    try await scoped(Task { try await scheduler.run() }, cleanUp: { task in
        task.cancel()
        _ = await task.result
    }) { _ in try await body() }
}

@Suite(.timeLimit(.minutes(2))) struct DailyStatsBatchTests {
    @Test func theScheduleFiresAt0300AndAggregatesYesterday() async throws {
        try await StatsFixture.with(now: "2026-11-25T01:59:00Z") { fixture in  // 02:59 in Berlin
            try await fixture.issue(at: fixture.local("2026-11-24", 15))
            let batch = fixture.batch()
            let scheduler = DailyStatsScheduler(batch: batch, settings: fixture.settings, clock: fixture.clock, state: SchedulerState(), logger: Logger(label: "test"))
            try await whileRunning(scheduler) {
                try #require(try await eventually {
                    try await fixture.settledRuns()?.count == 1 && fixture.clock.sleeperCount == 1
                }, "the start-up catch-up is recorded and the scheduler sleeps")
                let catchUp = try #require(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).first)
                #expect(catchUp.trigger == .catchUp)
                #expect((catchUp.from, catchUp.to) == (day("2026-11-18"), day("2026-11-24")))

                // `set` resumes due sleepers synchronously: a sleeper it leaves asleep cannot have started a run.
                fixture.clock.set(try Date("2026-11-25T01:59:59Z", strategy: .iso8601))
                #expect(fixture.clock.sleeperCount == 1, "nothing before 03:00")
                #expect(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).count == 1, "nothing before 03:00")

                fixture.clock.set(try Date("2026-11-25T02:00:00Z", strategy: .iso8601))
                try #require(try await eventually { try await fixture.settledRuns()?.count == 2 }, "the 03:00 run is recorded")
                let scheduled = try #require(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).first)
                #expect(scheduled.trigger == .schedule)
                #expect((scheduled.from, scheduled.to) == (day("2026-11-24"), day("2026-11-24")))
                #expect(scheduled.outcome == .done)
                #expect(try await fixture.row("2026-11-24")?.createdCount == 1)
                #expect(try await fixture.row("2026-11-25") == nil, "today is never aggregated")
            }
        }
    }

    @Test func theWatchdogSeesAStalledSchedulerLoop() async throws {
        try await StatsFixture.with { fixture in
            let state = SchedulerState(clock: fixture.clock)
            let check = SchedulerHealthCheck(state: state, batch: fixture.batch())
            try await check.check()  // not started yet: the start-up catch-up may be running
            state.beat()
            fixture.clock.advance(by: SchedulerHealthCheck.tolerance)
            try await check.check()
            fixture.clock.advance(by: 1)
            await #expect(throws: SchedulerStalled.self) { try await check.check() }

            // A running scheduler keeps beating.
            let scheduler = DailyStatsScheduler(batch: fixture.batch(), settings: fixture.settings, clock: fixture.clock, state: state, logger: Logger(label: "test"))
            try await whileRunning(scheduler) {
                try #require(try await eventually { state.lastBeat == fixture.clock.now() }, "a fresh beat")
                try await check.check()
            }
        }
    }

    @Test func aReloadedScheduleAppliesWithoutARestart() async throws {
        try await StatsFixture.with(now: "2026-11-25T10:00:00Z") { fixture in
            let state = SchedulerState()
            let scheduler = DailyStatsScheduler(batch: fixture.batch(), settings: fixture.settings, clock: fixture.clock, state: state, logger: Logger(label: "test"))
            try await whileRunning(scheduler) {
                try #require(try await eventually { state.next != nil && fixture.clock.sleeperCount == 1 }, "the first plan")
                #expect(state.next == (try Date("2026-11-26T02:00:00Z", strategy: .iso8601)))

                var changed = fixture.settings.current
                changed.statsCron = try CronExpression("0 30 4 * * *")
                changed.statsTimeZone = try #require(TimeZone(identifier: "America/New_York"))
                fixture.settings.replace(with: changed)
                fixture.clock.advance(by: DailyStatsScheduler.recheckInterval)
                #expect(try await eventually { state.next == (try? Date("2026-11-26T09:30:00Z", strategy: .iso8601)) }, "the new plan")
            }
        }
    }

    @Test func catchUpAfterAThreeDayOutageFillsExactlyTheMissingDays() async throws {
        try await StatsFixture.with(now: "2026-11-25T10:00:00Z") { fixture in
            let batch = fixture.batch()
            _ = try await batch.run(days: ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"].map(day), trigger: .manual)

            let report = try #require(await batch.catchUp())
            #expect(report.run.trigger == .catchUp)
            #expect(report.days.map(\.date) == ["2026-11-22", "2026-11-23", "2026-11-24"].map(day))
            #expect(report.run.rowsWritten == 3)
            #expect(try await fixture.store.stats.aggregatedDays(from: day("2026-11-01"), to: day("2026-11-30")).count == 7)
            #expect(await batch.catchUp() == nil, "nothing left to catch up")
        }
    }

    @Test func aFailingStoreIsRecordedAndTheNextRunSucceeds() async throws {
        var instrumented: InstrumentedStatsRepository?
        try await StatsFixture.with(catchUpDays: 1, repository: { base in
            let repository = InstrumentedStatsRepository(base: base, failures: 1)
            instrumented = repository
            return repository
        }) { fixture in
            let batch = fixture.batch()
            let failed = try await batch.run(days: [day("2026-11-24")], trigger: .schedule)
            #expect(failed.run.outcome == .failed)
            #expect(failed.days.first?.outcome == .failed)
            #expect(failed.run.error?.contains("injected") == true)
            #expect(try await fixture.row("2026-11-24") == nil, "a failed day writes nothing")

            let retried = try #require(await batch.catchUp())
            #expect(retried.run.outcome == .done)
            #expect(try await fixture.row("2026-11-24") != nil)
            let history = try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10)
            #expect(history.map(\.outcome) == [.done, .failed])
            #expect(instrumented?.aggregated == 1)
        }
    }

    @Test func twoManualRunsNeverOverlap() async throws {
        var instrumented: InstrumentedStatsRepository?
        try await StatsFixture.with(repository: { base in
            let repository = InstrumentedStatsRepository(base: base, held: true)
            instrumented = repository
            return repository
        }) { fixture in
            let repository = try #require(instrumented)
            let batch = fixture.batch()
            let days = (1...10).map { day("2026-11-\($0 < 10 ? "0" : "")\($0)") }
            let startedAt = fixture.clock.now()
            let first = Task { try await batch.run(days: days, trigger: .manual) }
            // The first run's first day is in flight (and held there) before anything else is asked.
            let going = try await eventually { repository.gate.waiting == 1 }
            #expect(going, "the first run is going")
            await #expect(throws: DailyStatsBatch.Refusal.busy(trigger: .manual, since: startedAt)) {
                _ = try await batch.run(days: days, trigger: .manual)
            }
            // The scheduler's own runs wait their turn instead of being refused.
            let scheduled = Task { try await batch.run(days: [day("2026-11-24")], trigger: .schedule) }
            repository.gate.open()
            #expect(try await first.value.run.outcome == .done)
            #expect(try await scheduled.value.run.outcome == .done)
            #expect(repository.maximumInFlight == 1)
            #expect(repository.aggregated == 11)
        }
    }

    @Test func aDayAnotherInstanceIsAggregatingIsSkippedAndTheOthersDone() async throws {
        try await StatsFixture.with(repository: { base in InstrumentedStatsRepository(base: base, heldDays: [day("2026-11-23")]) }) { fixture in
            let report = try await fixture.batch().run(days: [day("2026-11-22"), day("2026-11-23"), day("2026-11-24")], trigger: .manual)
            #expect(report.days.map(\.outcome) == [.done, .skipped, .done])
            #expect(report.days[1].error == "held by other-host:7")
            #expect(report.run.outcome == .done)
            #expect(report.run.rowsWritten == 2)
            #expect(try await fixture.row("2026-11-23") == nil, "the holder writes that row, not us")
        }
    }

    @Test(arguments: StoreKind.allCases) func anotherProcessHoldingTheBatchMakesTheRunSkip(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let now = fixture.clock.now()
            #expect(try await fixture.store.stats.acquireLease(job: "daily-stats", holder: "other:42", now: now, until: now.addingTimeInterval(60)) == .acquired)
            let skipped = try await fixture.batch().run(days: [day("2026-11-24")], trigger: .manual)
            #expect(skipped.run.outcome == .skipped)
            #expect(skipped.days.first?.outcome == .skipped)
            #expect(skipped.days.first?.error?.contains("other:42") == true)
            #expect(try await fixture.row("2026-11-24") == nil)

            // An expired lease (its holder died) is taken over.
            fixture.clock.advance(by: 61)
            let taken = try await fixture.batch().run(days: [day("2026-11-24")], trigger: .manual)
            #expect(taken.run.outcome == .done)
        }
    }

    /// A process of this host killed during a run left its lease (unexpired) and its run
    /// marked `running`: the next run takes the lease over at once and marks that run interrupted.
    @Test(arguments: StoreKind.allCases) func aKilledProcesssLeaseIsTakenOverAndItsRunMarkedInterrupted(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let now = fixture.clock.now()
            let dead = "\(ProcessInfo.processInfo.hostName):2147483000"  // no such process
            #expect(InstanceID.isGone(dead))
            #expect(!InstanceID.isGone("\(ProcessInfo.processInfo.hostName):\(getpid())"), "a running process is not gone")
            #expect(!InstanceID.isGone("elsewhere:2147483000"), "another host's process cannot be known gone")
            #expect(try await fixture.store.stats.acquireLease(job: "daily-stats", holder: dead, now: now, until: now.addingTimeInterval(600)) == .acquired)
            let abandoned = try await fixture.store.stats.recordRun(BatchRun(
                id: 0, trigger: .catchUp, from: day("2026-11-01"), to: day("2026-11-24"), startedAt: now, durationSeconds: 0,
                outcome: .running, error: nil, rowsWritten: 0, instance: dead
            ), job: "daily-stats")

            let report = try await fixture.batch().run(days: [day("2026-11-24")], trigger: .manual)
            #expect(report.run.outcome == .done, "the lease was taken over, not waited for")
            let history = try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10)
            let closed = try #require(history.first { $0.id == abandoned.id })
            #expect(closed.outcome == .interrupted)
            #expect(closed.error == DailyStatsBatch.abandonedReason)
            #expect(history.first { $0.id == report.run.id }?.outcome == .done, "this run's row, recorded running, now done")
            #expect(!history.contains { $0.outcome == .running })
        }
    }

    @Test(arguments: StoreKind.allCases) func runsAreRecordedAndPrunedAfterTheHistoryDays(store: StoreKind) async throws {
        try await StatsFixture.with(store: store) { fixture in
            let batch = fixture.batch(instance: "host:7")
            let first = try await batch.run(days: [day("2026-11-20"), day("2026-11-21")], trigger: .manual)
            #expect(first.run.id > 0)
            #expect(first.run.instance == "host:7")
            #expect(first.run.rowsWritten == 2)
            #expect((first.run.from, first.run.to) == (day("2026-11-20"), day("2026-11-21")))
            fixture.clock.advance(by: 91 * 86_400)
            _ = try await batch.run(days: [day("2026-11-22")], trigger: .manual)
            let history = try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10)
            #expect(history.count == 1, "runs older than stats.historyDays are pruned")
        }
    }
}
