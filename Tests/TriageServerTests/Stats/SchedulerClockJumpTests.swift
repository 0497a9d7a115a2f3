import Foundation
import Logging
import Testing
import TriageTestSupport
@testable import TriageServer

/// The real scheduler, batch and store under a wall clock that jumps (NTP
/// stepping it, an operator setting it), and catch-up retrying failed days.
@Suite(.timeLimit(.minutes(2))) struct SchedulerClockJumpTests {
    /// Set back across 03:00 while the 03:00 run is going: that day is not run again.
    @Test func aClockSetBackOverAFireDoesNotRunItsDayTwice() async throws {
        var instrumented: InstrumentedStatsRepository?
        try await StatsFixture.with(now: "2026-11-25T01:59:00Z", catchUpDays: 0, repository: { base in
            let repository = InstrumentedStatsRepository(base: base, held: true)
            instrumented = repository
            return repository
        }) { fixture in
            let gate = try #require(instrumented?.gate)
            let state = SchedulerState()
            let scheduler = DailyStatsScheduler(
                batch: fixture.batch(), settings: fixture.settings, clock: fixture.clock, state: state, logger: Logger(label: "test")
            )
            try await whileSchedulerRuns(scheduler) {
                try #require(try await eventually { state.next != nil && fixture.clock.sleeperCount == 1 }, "the first plan")
                fixture.clock.set(try Date("2026-11-25T02:00:00Z", strategy: .iso8601))
                try #require(try await eventually { instrumented?.maximumInFlight == 1 }, "the 03:00 run is aggregating")
                fixture.clock.set(try Date("2026-11-25T01:58:00Z", strategy: .iso8601))  // NTP steps the clock back
                gate.open()
                try #require(try await eventually { try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).first?.outcome == .done })
                #expect(try await eventually { state.next == (try? Date("2026-11-26T02:00:00Z", strategy: .iso8601)) }, "tomorrow's fire")
                fixture.clock.set(try Date("2026-11-25T02:00:00Z", strategy: .iso8601))
                fixture.clock.set(try Date("2026-11-25T02:05:00Z", strategy: .iso8601))
                try await Task.sleep(for: .milliseconds(100))
                let runs = try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10)
                #expect(runs.map(\.trigger) == [.schedule], "one run of 2026-11-24: \(runs)")
                #expect(instrumented?.aggregated == 1)
            }
        }
    }

    /// Set forward over three 03:00 fires: each missed day is aggregated once (the
    /// planned fire's day, then catch-up), not once per missed fire.
    @Test func aClockSetForwardOverThreeFiresAggregatesEachMissedDayOnce() async throws {
        var instrumented: InstrumentedStatsRepository?
        try await StatsFixture.with(now: "2026-11-25T10:00:00Z", repository: { base in
            let repository = InstrumentedStatsRepository(base: base)
            instrumented = repository
            return repository
        }) { fixture in
            let state = SchedulerState()
            let scheduler = DailyStatsScheduler(
                batch: fixture.batch(), settings: fixture.settings, clock: fixture.clock, state: state, logger: Logger(label: "test")
            )
            try await whileSchedulerRuns(scheduler) {
                try #require(try await eventually { try await fixture.settledRuns()?.count == 1 && fixture.clock.sleeperCount == 1 })
                #expect(instrumented?.aggregated == 7, "the start-up catch-up")
                fixture.clock.set(try Date("2026-11-28T10:00:00Z", strategy: .iso8601))
                try #require(try await eventually { try await fixture.settledRuns()?.count == 3 && fixture.clock.sleeperCount == 1 })
                let runs = try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10)
                #expect(runs.map(\.trigger) == [.catchUp, .schedule, .catchUp])
                #expect((runs[1].from, runs[1].to) == (day("2026-11-25"), day("2026-11-25")))
                #expect((runs[0].from, runs[0].to) == (day("2026-11-26"), day("2026-11-27")))
                #expect(instrumented?.aggregated == 10, "each of the three missed days once")
                #expect(state.next == (try Date("2026-11-29T02:00:00Z", strategy: .iso8601)))
            }
        }
    }

    /// A run whose day fails (the database locked, full) is retried by catch-up after the
    /// retry delay, without waiting for the next 03:00.
    @Test func aFailedDayIsRetriedByCatchUpAfterTheRetryDelay() async throws {
        var instrumented: InstrumentedStatsRepository?
        try await StatsFixture.with(now: "2026-11-25T10:00:00Z", catchUpDays: 1, repository: { base in
            let repository = InstrumentedStatsRepository(base: base, failures: 1)
            instrumented = repository
            return repository
        }) { fixture in
            let scheduler = DailyStatsScheduler(
                batch: fixture.batch(), settings: fixture.settings, clock: fixture.clock, state: SchedulerState(), retryDelay: 30,
                logger: Logger(label: "test")
            )
            try await whileSchedulerRuns(scheduler) {
                try #require(try await eventually { try await fixture.settledRuns()?.count == 1 && fixture.clock.sleeperCount == 1 })
                #expect(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).first?.outcome == .failed)
                fixture.clock.advance(by: 29)
                try await Task.sleep(for: .milliseconds(50))
                #expect(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).count == 1, "not before the delay")
                fixture.clock.advance(by: 1)
                try #require(try await eventually { try await fixture.settledRuns()?.count == 2 })
                #expect(try await fixture.store.stats.runs(job: DailyStatsBatch.job, limit: 10).map(\.outcome) == [.done, .failed])
                #expect(try await fixture.row("2026-11-24") != nil)
                #expect(instrumented?.aggregated == 1)
            }
        }
    }
}

/// Runs `body` while `scheduler` runs in a task, then cancels it and awaits its end.
private func whileSchedulerRuns(_ scheduler: DailyStatsScheduler, _ body: () async throws -> Void) async throws {
    try await scoped(Task { try await scheduler.run() }, cleanUp: { task in
        task.cancel()
        _ = await task.result
    }) { _ in try await body() }
}
