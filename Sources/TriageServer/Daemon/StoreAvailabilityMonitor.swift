import Logging
import ServiceLifecycle
import Synchronization

/// Keeps `STATUS=` (and the log) honest about the database: every `period`
/// it asks the store whether it can take writes (`Store.writeProblem`, which
/// logs its own changes) and pings it with a 1 s budget; when either answer
/// changes the status says so, and when both are fine again the ready status
/// comes back. It never stops the daemon or its watchdog pings: a restart
/// cannot fix a remote outage or a full disk.
final class StoreAvailabilityMonitor<C: Clock<Duration>>: Service {
    private enum Condition: Equatable {
        case fine
        case silent
        case refusingWrites(StoreWriteProblem)
    }

    private let store: any Store
    private let readiness: ReadinessTracker
    private let notifier: any SystemdNotifier
    private let clock: C
    private let period: Duration
    private let timeout: Duration
    private let logger: Logger
    private let condition = Mutex(Condition.fine)

    init(
        store: any Store, readiness: ReadinessTracker, notifier: any SystemdNotifier, clock: C,
        period: Duration = .seconds(5), timeout: Duration = .seconds(1), logger: Logger
    ) {
        self.store = store
        self.readiness = readiness
        self.notifier = notifier
        self.clock = clock
        self.period = period
        self.timeout = timeout
        self.logger = logger
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await self.clock.sleep(for: self.period)
                    await self.probe()
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One look; reports a change once the daemon is ready.
    func probe() async {
        var failure: String?
        let now: Condition
        if let problem = store.writeProblem() {
            now = .refusingWrites(problem)
        } else {
            do {
                try await withTimeout(timeout) { [store] in try await store.ping() }
                now = .fine
            } catch {
                failure = "\(error)"
                now = .silent
            }
        }
        let before = condition.withLock { condition in
            defer { condition = now }
            return condition
        }
        guard before != now, readiness.isReady else { return }
        switch now {
        case .refusingWrites(let problem):
            notifier.status("\(readiness.readyStatus()); DEGRADED: the database (\(store.location)) cannot take writes: \(problem)")
        case .silent:
            notifier.status("\(readiness.readyStatus()); DEGRADED: the database (\(store.location)) does not answer: \(failure ?? "")")
            logger.error("the database does not answer; requests that need it get 503 until it is back", metadata: [
                "store": "\(store.location)", "error": "\(failure ?? "")",
            ])
        case .fine:
            notifier.status(readiness.readyStatus())
            if before == .silent { logger.notice("the database answers again", metadata: ["store": "\(store.location)"]) }
        }
    }
}
