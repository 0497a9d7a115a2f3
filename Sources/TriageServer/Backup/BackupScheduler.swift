import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageCron

/// Fires `ScheduledBackups` at `backup.cron` in `stats.timezone`; idle while
/// `backup.cron` is unset, and picks up a reloaded schedule within a minute.
/// A fire missed while the daemon was down is not made up: the next fire makes the next copy.
public struct BackupScheduler: Service {
    private let backups: ScheduledBackups
    private let settings: SettingsHolder
    private let clock: any WallClock
    private let state: BackupScheduleState
    private let logger: Logger

    static let recheckInterval: TimeInterval = 60

    public init(backups: ScheduledBackups, settings: SettingsHolder, clock: any WallClock, state: BackupScheduleState, logger: Logger) {
        self.backups = backups
        self.settings = settings
        self.clock = clock
        self.state = state
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {
            // Shutdown arrived while waiting.
        }
    }

    private func loop() async throws {
        var plan: (cron: CronExpression, zone: TimeZone, fire: Date)?
        var lastFire: Date?
        var told: CronExpression?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let current = settings.current
            guard let cron = current.backupCron else {
                plan = nil
                state.update(nextFire: nil)
                try await napUntil(clock.now().addingTimeInterval(Self.recheckInterval))
                continue
            }
            if cron.readsDifferentlyInSpring, told != cron {
                logger.notice("\(SettingKey.backupCron.rawValue) \(CronExpression.springReadingNotice)", metadata: ["cron": "\(cron)"])
                told = cron
            }
            if plan == nil || plan?.cron != cron || plan?.zone != current.statsTimeZone {
                let schedule = CronSchedule(expression: cron, timeZone: current.statsTimeZone)
                // After the last fire made, so that a clock set back does not copy twice for one fire.
                plan = schedule.nextFire(after: max(clock.now(), lastFire ?? .distantPast)).map { (cron, current.statsTimeZone, $0) }
                state.update(nextFire: plan?.fire)
            }
            let now = clock.now()
            guard let fire = plan?.fire else {
                try await napUntil(now.addingTimeInterval(Self.recheckInterval))
                continue
            }
            if now < fire {
                try await napUntil(min(fire, now.addingTimeInterval(Self.recheckInterval)))
                continue
            }
            plan = nil
            lastFire = fire
            await backups.run(trigger: .schedule)
        }
    }

    private func napUntil(_ deadline: Date) async throws {
        try await cancelWhenGracefulShutdown { [clock] in
            try await clock.sleep(until: deadline)
        }
    }
}

/// The next scheduled backup, for `triagectl status`.
public final class BackupScheduleState: Sendable {
    private let nextFire = Mutex<Date?>(nil)

    public init() {}

    public var next: Date? { nextFire.withLock { $0 } }

    func update(nextFire fire: Date?) {
        nextFire.withLock { $0 = fire }
    }
}
