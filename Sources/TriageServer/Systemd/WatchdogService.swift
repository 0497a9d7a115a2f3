import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TriageControlAPI

/// Pings systemd's watchdog at half its interval, but only after every health
/// check answered within that half: a wedged daemon stops pinging and systemd
/// restarts it. Never a free-running timer.
public struct WatchdogService<C: Clock<Duration>>: Service {
    private let notifier: any SystemdNotifier
    private let checks: [any HealthCheck]
    private let clock: C
    private let state: WatchdogState
    private let logger: Logger

    public init(notifier: any SystemdNotifier, checks: [any HealthCheck], clock: C, state: WatchdogState, logger: Logger) {
        self.notifier = notifier
        self.checks = checks
        self.clock = clock
        self.state = state
        self.logger = logger
    }

    public func run() async throws {
        guard let interval = state.interval else {
            // No watchdog configured: stay in the group until it shuts down.
            try? await gracefulShutdown()
            return
        }
        let period = interval / 2
        logger.info("watchdog enabled: a ping every \(period) while every probe answers (systemd's limit \(interval))", metadata: ["interval": "\(interval)"])
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await clock.sleep(for: period)
                    await tick(budget: period)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One probe; pings only if every check passed within `budget`. Each check
    /// has the whole budget to itself, so a withheld ping names the one that hung.
    func tick(budget: Duration) async {
        do {
            try await withThrowingTaskGroup(of: Void.self) { [checks, clock] group in
                for check in checks {
                    group.addTask {
                        do {
                            try await withTimeout(budget, clock: clock) { try await check.check() }
                        } catch let timeout as TimeoutError {
                            throw HealthCheckFailure(check: check.name, reason: "no answer within \(timeout.after)")
                        } catch {
                            throw HealthCheckFailure(check: check.name, reason: "\(error)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            notifier.watchdogPing()
            state.recordPing()
        } catch {
            let reason = "\(error)"
            // Once per reason, not once per tick: the journal shows the cause, then systemd's restart.
            let level: Logger.Level = state.recordFailure(reason) ? .warning : .debug
            logger.log(level: level, "watchdog ping withheld: health probe failed", metadata: ["reason": "\(reason)"])
        }
    }
}

struct HealthCheckFailure: Error, CustomStringConvertible {
    let check: String
    let reason: String
    var description: String { "\(check): \(reason)" }
}

/// What `triagectl status` shows about the watchdog.
public final class WatchdogState: Sendable {
    public let interval: Duration?
    private let observations = Mutex<(lastPing: Date?, lastError: String?)>((nil, nil))

    public init(interval: Duration?) {
        self.interval = interval
    }

    func recordPing() {
        observations.withLock { $0 = (Date(), nil) }
    }

    /// Whether the reason differs from the last failure's (or the last probe passed).
    @discardableResult
    func recordFailure(_ reason: String) -> Bool {
        observations.withLock { observations in
            defer { observations.lastError = reason }
            return observations.lastError != reason
        }
    }

    public var snapshot: WatchdogStatus {
        let (lastPing, lastError) = observations.withLock { $0 }
        let seconds = interval.map(\.inSeconds)
        return WatchdogStatus(enabled: interval != nil, intervalSeconds: seconds, lastPingAt: lastPing, lastProbeError: lastError)
    }
}
