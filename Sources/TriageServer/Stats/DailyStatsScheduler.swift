import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageCron

/// Fires the batch at `stats.cron` in `stats.timezone` to aggregate
/// yesterday, and catches up missing days at start-up and after every run.
/// A run with failed days (a locked or full database) is followed by catch-up
/// again after `retryDelay`, doubling up to an hour while it keeps failing.
/// Errors end up in the run history and the log; the loop itself never dies.
///
/// The wall clock may jump. Forward over several fires: the next look finds the
/// planned fire past, runs its day once, and catch-up fills the others once
/// each. Backward over a fire: the next fire is planned after the last one
/// made, so the day it aggregated is not aggregated again.
public struct DailyStatsScheduler: Service {
    private let batch: DailyStatsBatch
    private let settings: SettingsHolder
    private let clock: any WallClock
    private let state: SchedulerState
    private let logger: Logger

    private let retryDelay: TimeInterval

    /// Longest nap between looks at the settings, so a reloaded cron or zone applies.
    static let recheckInterval: TimeInterval = 60
    /// The longest wait before catch-up retries failed days.
    static let longestRetryDelay: TimeInterval = 3600

    public init(
        batch: DailyStatsBatch, settings: SettingsHolder, clock: any WallClock, state: SchedulerState,
        retryDelay: TimeInterval = 60, logger: Logger
    ) {
        self.batch = batch
        self.settings = settings
        self.clock = clock
        self.state = state
        self.retryDelay = retryDelay
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {
            // Shutdown arrived while waiting for the next fire.
        }
        logger.info("statistics scheduler stopped")
    }

    /// Only the waits are cut short by a shutdown; a run in progress finishes
    /// its current day (the batch stops between days) rather than being cancelled.
    private func loop() async throws {
        var retry = Retry(first: retryDelay)
        retry.after(await batch.catchUp(), at: clock.now())
        var plan: (cron: CronExpression, zone: TimeZone, fire: Date)?
        var lastFire: Date?
        var neverFires: CronExpression?
        var toldSpringReading: CronExpression?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            state.beat()
            let configuration = settings.current
            if plan == nil || plan?.cron != configuration.statsCron || plan?.zone != configuration.statsTimeZone {
                if configuration.statsCron.readsDifferentlyInSpring, toldSpringReading != configuration.statsCron {
                    logger.notice("\(SettingKey.statsCron.rawValue) \(CronExpression.springReadingNotice)", metadata: ["cron": "\(configuration.statsCron)"])
                    toldSpringReading = configuration.statsCron
                }
                let schedule = CronSchedule(expression: configuration.statsCron, timeZone: configuration.statsTimeZone)
                guard let fire = schedule.nextFire(after: max(clock.now(), lastFire ?? .distantPast)) else {
                    // Looked at again every round (the loop must keep beating for the watchdog), said once.
                    if neverFires != configuration.statsCron {
                        logger.error("stats.cron never fires again; waiting for a reload", metadata: ["cron": "\(configuration.statsCron)"])
                        neverFires = configuration.statsCron
                    }
                    state.update(nextFire: nil)
                    try await napUntil(clock.now().addingTimeInterval(Self.recheckInterval))
                    continue
                }
                neverFires = nil
                plan = (configuration.statsCron, configuration.statsTimeZone, fire)
                state.update(nextFire: fire)
                logger.debug("next statistics run", metadata: ["at": "\(fire.formatted(.iso8601))"])
            }
            guard let current = plan else { continue }
            let now = clock.now()
            if let due = retry.due, now >= due, now < current.fire {
                logger.notice("catch-up retries the days that failed", metadata: ["attempt": "\(retry.attempts)"])
                retry.after(await batch.catchUp(), at: clock.now())
                continue
            }
            if now < current.fire {
                try await napUntil(min(current.fire, retry.due ?? current.fire, now.addingTimeInterval(Self.recheckInterval)))
                continue
            }
            plan = nil
            lastFire = current.fire
            let zone = ZonedTime(zone: current.zone)
            let yesterday = zone.date(at: current.fire).adding(days: -1)
            let scheduled = try? await batch.run(days: [yesterday], trigger: .schedule)  // only manual runs can be refused
            let caughtUp = await batch.catchUp()
            retry.after(scheduled?.run.outcome == .failed ? scheduled : caughtUp, at: clock.now())
        }
    }

    /// When catch-up next retries failed days: `first` after a failed run, doubling
    /// while runs keep failing, up to `longestRetryDelay`; nothing after one that did not fail.
    private struct Retry {
        let first: TimeInterval
        private(set) var due: Date?
        private(set) var attempts = 0

        init(first: TimeInterval) {
            self.first = first
        }

        mutating func after(_ report: DailyStatsBatch.Report?, at now: Date) {
            guard report?.run.outcome == .failed else {
                due = nil
                attempts = 0
                return
            }
            due = now.addingTimeInterval(min(first * pow(2, Double(attempts)), DailyStatsScheduler.longestRetryDelay))
            attempts += 1
        }
    }

    private func napUntil(_ deadline: Date) async throws {
        try await cancelWhenGracefulShutdown { [clock] in
            try await clock.sleep(until: deadline)
        }
    }
}

/// What `triagectl status` and the watchdog see of the scheduler.
public final class SchedulerState: Sendable {
    private let nextFire = Mutex<Date?>(nil)
    private let heartbeat = Mutex<Date?>(nil)
    /// Beats are timed on the monotonic clock: a wall clock set forward by
    /// minutes must not look like a stalled loop to the watchdog.
    let clock: any ElapsedClock

    public init(clock: any ElapsedClock = SystemElapsedClock()) {
        self.clock = clock
    }

    public var next: Date? { nextFire.withLock { $0 } }

    /// When the loop last went round (it does at least every `recheckInterval`), on `clock`.
    public var lastBeat: Date? { heartbeat.withLock { $0 } }

    func update(nextFire date: Date?) {
        nextFire.withLock { $0 = date }
    }

    func beat() {
        let now = clock.now()
        heartbeat.withLock { $0 = now }
    }
}

/// The scheduler answers: its loop went round recently, or a run is in
/// progress (the loop waits for it). DESIGN §6 lists it among what the
/// watchdog pings for.
public struct SchedulerHealthCheck: HealthCheck {
    public let name = "scheduler"
    let state: SchedulerState
    let batch: DailyStatsBatch
    /// Three missed rounds: generous, since a round can include a catch-up run.
    static let tolerance = DailyStatsScheduler.recheckInterval * 3

    public init(state: SchedulerState, batch: DailyStatsBatch) {
        self.state = state
        self.batch = batch
    }

    public func check() async throws {
        // Before the first round the start-up catch-up is running: that is not a hang.
        guard let beat = state.lastBeat, await !batch.isRunning else { return }
        let silence = state.clock.now().timeIntervalSince(beat)
        guard silence <= Self.tolerance else { throw SchedulerStalled(seconds: silence) }
    }
}

struct SchedulerStalled: Error, CustomStringConvertible {
    let seconds: TimeInterval
    var description: String { "the statistics scheduler has not gone round its loop for \(Int(seconds)) s" }
}
