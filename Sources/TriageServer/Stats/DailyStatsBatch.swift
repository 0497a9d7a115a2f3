import Foundation
import Logging
import ServiceLifecycle
import TriageCron

/// Runs the daily statistics batch: one transaction per day, one run at a
/// time in this process (the actor) and across processes sharing the
/// database (a lease in the store), every run recorded.
public actor DailyStatsBatch {
    public struct DayResult: Sendable, Equatable {
        public var date: CivilDate
        public var stats: DailyStats?
        public var outcome: DayOutcome
        public var error: String?
    }

    public struct Report: Sendable {
        public var run: BatchRun
        public var days: [DayResult]
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// A manual run asked for while another run of this process is going.
        case busy(trigger: BatchTrigger, since: Date)

        public var description: String {
            switch self {
            case .busy(let trigger, let since):
                return "a daily-stats run (\(trigger.rawValue), started \(since.formatted(.iso8601))) is in progress; try again when it ends"
            }
        }
    }

    static let job = "daily-stats"
    /// Far longer than a year's backfill takes; renewed once half of it has passed.
    static let leaseSeconds: TimeInterval = 600

    private let repository: any StatsRepository
    private let settings: SettingsHolder
    private let clock: any WallClock
    private let instance: String
    private let metrics: StatsMetrics?
    private let logger: Logger

    private var current: (trigger: BatchTrigger, since: Date)?
    /// Runs whose end the database did not take (locked, full): written by the next run that can.
    private var unrecorded: [BatchRun] = []
    static let maximumUnrecorded = 100
    private var waiting: [CheckedContinuation<Void, Never>] = []
    public private(set) var lastRun: BatchRun?

    public init(
        repository: any StatsRepository, settings: SettingsHolder, clock: any WallClock, instance: String,
        metrics: StatsMetrics?, logger: Logger
    ) {
        self.repository = repository
        self.settings = settings
        self.clock = clock
        self.instance = instance
        self.metrics = metrics
        self.logger = logger
    }

    public var isRunning: Bool { current != nil }

    /// Aggregates `days` in order. Manual callers are refused while a run is
    /// going; the scheduler's own runs wait their turn instead.
    public func run(
        days: [CivilDate], trigger: BatchTrigger,
        progress: (@Sendable (DayResult) async -> Void)? = nil
    ) async throws(Refusal) -> Report {
        // A loop, not an `if`: a run that started while the woken waiter was getting back onto
        // the actor holds `current` again, and two runs must never go at once.
        while let current {
            guard trigger != .manual else { throw .busy(trigger: current.trigger, since: current.since) }
            await withCheckedContinuation { waiting.append($0) }
        }
        let startedAt = clock.now()
        current = (trigger, startedAt)
        defer {
            current = nil
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return await perform(days: days, trigger: trigger, startedAt: startedAt, progress: progress)
    }

    /// Fills every day of the last `stats.catchUpDays` before today that has no
    /// row. Today is never caught up: it is not over. Nil when nothing is missing.
    public func catchUp() async -> Report? {
        let configuration = settings.current
        guard configuration.statsCatchUpDays > 0 else { return nil }
        let zone = ZonedTime(zone: configuration.statsTimeZone)
        let today = zone.date(at: clock.now())
        let first = today.adding(days: -configuration.statsCatchUpDays)
        let last = today.adding(days: -1)
        let existing: Set<CivilDate>
        do {
            existing = try await repository.aggregatedDays(from: first, to: last)
        } catch {
            logger.error("catch-up cannot read which days exist; retrying after the next run", metadata: ["error": "\(error)"])
            return nil
        }
        let missing = (0..<configuration.statsCatchUpDays).map { first.adding(days: $0) }.filter { !existing.contains($0) }
        guard !missing.isEmpty else { return nil }
        // Only the scheduler catches up, so waiting (never refusal) is what happens here.
        return try? await run(days: missing, trigger: .catchUp)
    }

    private func perform(
        days: [CivilDate], trigger: BatchTrigger, startedAt: Date, progress: (@Sendable (DayResult) async -> Void)?
    ) async -> Report {
        let configuration = settings.current
        let zone = ZonedTime(zone: configuration.statsTimeZone)
        var results: [DayResult] = []
        var interrupted = false

        var recorded: BatchRun?
        switch await takeLease(at: startedAt) {
        case .failure(let error):
            logger.error("daily-stats run cannot take the batch lease", metadata: ["error": "\(error)"])
            results = days.map { DayResult(date: $0, stats: nil, outcome: .failed, error: "\(error)") }
        case .success(.heldBy(let holder)):
            logger.notice("daily-stats run skipped: another instance holds the batch", metadata: ["holder": "\(holder)"])
            results = days.map { DayResult(date: $0, stats: nil, outcome: .skipped, error: "held by \(holder)") }
        case .success(.acquired):
            recorded = await recordStart(days: days, trigger: trigger, startedAt: startedAt)
            var renewedAt = startedAt
            for day in days {
                if Task.isShuttingDownGracefully || Task.isCancelled {
                    interrupted = true
                    break
                }
                let result = await aggregate(day, zone: zone)
                results.append(result)
                await progress?(result)
                let now = clock.now()
                if now.timeIntervalSince(renewedAt) > Self.leaseSeconds / 2 {
                    renewedAt = now
                    do {
                        _ = try await repository.acquireLease(
                            job: Self.job, holder: instance, now: now, until: now.addingTimeInterval(Self.leaseSeconds)
                        )
                    } catch {
                        logger.warning("cannot renew the batch lease; continuing until it expires", metadata: ["error": "\(error)"])
                    }
                }
            }
            do {
                try await repository.releaseLease(job: Self.job, holder: instance)
            } catch {
                // The lease expires by itself; nothing is lost but some minutes of another instance's turn.
                logger.warning("cannot release the batch lease", metadata: ["error": "\(error)"])
            }
        }
        return await finish(days: days, results: results, trigger: trigger, startedAt: startedAt, interrupted: interrupted, recorded: recorded)
    }

    /// Writes the runs kept while the database refused them, oldest first: a run
    /// recorded `running` at its start is updated, one never recorded is inserted.
    /// Returns the last one as stored once all are written, nil while some wait.
    private func recordUnrecordedRuns() async -> BatchRun? {
        var last: BatchRun?
        while let run = unrecorded.first {
            do {
                if run.id != 0 {
                    try await repository.updateRun(run)
                    last = run
                } else {
                    last = try await repository.recordRun(run, job: Self.job)
                }
                unrecorded.removeFirst()
            } catch {
                logger.warning("cannot record a daily-stats run in the history", metadata: [
                    "error": "\(error)", "outcome": "\(run.outcome.rawValue)", "waiting": "\(unrecorded.count)",
                ])
                if unrecorded.count > Self.maximumUnrecorded { unrecorded.removeFirst(unrecorded.count - Self.maximumUnrecorded) }
                return nil
            }
        }
        return last
    }

    /// The lease, taken over at once from a holder of this host that no longer runs
    /// (killed during a run): waiting for its expiry would skip every run until then.
    private func takeLease(at now: Date) async -> Result<LeaseResult, RepositoryError> {
        let until = now.addingTimeInterval(Self.leaseSeconds)
        do {
            let lease = try await repository.acquireLease(job: Self.job, holder: instance, now: now, until: until)
            guard case .heldBy(let holder) = lease, InstanceID.isGone(holder) else { return .success(lease) }
            guard try await repository.takeOverLease(job: Self.job, from: holder, to: instance, until: until) else {
                return .success(try await repository.acquireLease(job: Self.job, holder: instance, now: now, until: until))
            }
            logger.notice("took over the batch lease of an instance that no longer runs", metadata: ["holder": "\(holder)"])
            return .success(.acquired)
        } catch {
            return .failure(error)
        }
    }

    /// With the lease held no other run is going: runs still marked `running` belong to
    /// processes that ended during them. This run is then recorded as `running`, so that
    /// its own end, however it comes, leaves a trace.
    private func recordStart(days: [CivilDate], trigger: BatchTrigger, startedAt: Date) async -> BatchRun? {
        // This process's own runs whose end a locked or full database refused are written
        // first, so that they are not taken for the runs of a killed process below.
        _ = await recordUnrecordedRuns()
        do {
            let closed = try await repository.closeAbandonedRuns(job: Self.job, reason: Self.abandonedReason)
            if closed > 0 {
                logger.warning("daily-stats runs found unfinished: their process ended during them; catch-up fills what they left", metadata: [
                    "runs": "\(closed)",
                ])
            }
            return try await repository.recordRun(BatchRun(
                id: 0, trigger: trigger, from: days.min() ?? CivilDate(daysSinceEpoch: 0), to: days.max() ?? CivilDate(daysSinceEpoch: 0),
                startedAt: startedAt, durationSeconds: 0, outcome: .running, error: nil, rowsWritten: 0, instance: instance
            ), job: Self.job)
        } catch {
            logger.warning("cannot record the daily-stats run's start; it is recorded when it ends", metadata: ["error": "\(error)"])
            return nil
        }
    }

    static let abandonedReason = "the process ended during the run (killed or crashed); the days it had not written are left to catch-up"

    private func aggregate(_ day: CivilDate, zone: ZonedTime) async -> DayResult {
        do {
            switch try await repository.aggregate(DayWindow(date: day, zone: zone), at: clock.now()) {
            case .aggregated(let stats):
                return DayResult(date: day, stats: stats, outcome: .done, error: nil)
            case .heldBy(let holder):
                logger.notice("daily-stats day skipped: another instance is aggregating it", metadata: ["date": "\(day)", "holder": "\(holder)"])
                return DayResult(date: day, stats: nil, outcome: .skipped, error: "held by \(holder)")
            }
        } catch {
            logger.error("daily-stats aggregation failed; the day is retried at the next run", metadata: ["date": "\(day)", "error": "\(error)"])
            return DayResult(date: day, stats: nil, outcome: .failed, error: "\(error)")
        }
    }

    private func finish(
        days: [CivilDate], results: [DayResult], trigger: BatchTrigger, startedAt: Date, interrupted: Bool, recorded: BatchRun?
    ) async -> Report {
        let failed = results.filter { $0.outcome == .failed }
        let outcome: RunOutcome
        if interrupted {
            outcome = .interrupted
        } else if !failed.isEmpty {
            outcome = .failed
        } else if results.allSatisfy({ $0.outcome == .skipped }) && !results.isEmpty {
            outcome = .skipped
        } else {
            outcome = .done
        }
        let error = failed.first.map { "\($0.date): \($0.error ?? "failed")" + (failed.count > 1 ? " (and \(failed.count - 1) more days)" : "") }
            ?? (interrupted ? "shutdown before \(days.count - results.count) of \(days.count) days" : nil)
        let finishedAt = clock.now()
        var run = BatchRun(
            id: recorded?.id ?? 0, trigger: trigger, from: days.min() ?? CivilDate(daysSinceEpoch: 0), to: days.max() ?? CivilDate(daysSinceEpoch: 0),
            startedAt: startedAt, durationSeconds: finishedAt.timeIntervalSince(startedAt), outcome: outcome, error: error,
            rowsWritten: results.filter { $0.outcome == .done }.count, instance: instance
        )
        // Written after any runs an unwritable database kept back, oldest first.
        unrecorded.append(run)
        if let stored = await recordUnrecordedRuns() {
            run = stored
            do {
                let keepDays = settings.current.statsHistoryDays
                try await repository.pruneRuns(startedBefore: finishedAt.addingTimeInterval(-Double(keepDays) * 86_400))
            } catch {
                logger.warning("cannot prune the daily-stats run history", metadata: ["error": "\(error)"])
            }
        } else {
            logger.error("cannot record the daily-stats run in the history yet; the next run records it", metadata: ["outcome": "\(outcome.rawValue)"])
        }
        metrics?.record(run, failedDays: failed.count)
        lastRun = run
        let level: Logger.Level = outcome == .failed ? .error : .info
        let span = run.from == run.to ? "\(run.from)" : "\(run.from)..\(run.to)"
        let summary = "\(run.rowsWritten) of \(days.count) days written in \(String(format: "%.3f", run.durationSeconds)) s"
        logger.log(level: level, "daily-stats \(trigger.rawValue) run for \(span) \(outcome.rawValue): \(summary)", metadata: [
            "trigger": "\(trigger.rawValue)", "from": "\(run.from)", "to": "\(run.to)", "outcome": "\(outcome.rawValue)",
            "rows": "\(run.rowsWritten)", "seconds": "\(String(format: "%.3f", run.durationSeconds))",
        ])
        return Report(run: run, days: results)
    }
}
