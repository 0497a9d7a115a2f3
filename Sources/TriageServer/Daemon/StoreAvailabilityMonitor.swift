import Logging
import ServiceLifecycle
import Synchronization

/// Keeps `STATUS=` (and the log) honest about a remote database: pings it
/// every `period` with a 1 s budget; when it stops answering the status says
/// so, and when it answers again the ready status comes back. It never stops
/// the daemon or its watchdog pings: a restart cannot fix a remote outage.
final class StoreAvailabilityMonitor<C: Clock<Duration>>: Service {
    private let store: any Store
    private let readiness: ReadinessTracker
    private let notifier: any SystemdNotifier
    private let clock: C
    private let period: Duration
    private let timeout: Duration
    private let logger: Logger
    private let reachable = Mutex(true)

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

    /// One ping; reports a change of reachability once the daemon is ready.
    func probe() async {
        let failure: String?
        do {
            try await withTimeout(timeout) { [store] in try await store.ping() }
            failure = nil
        } catch {
            failure = "\(error)"
        }
        let changed = reachable.withLock { reachable -> Bool in
            defer { reachable = failure == nil }
            return reachable != (failure == nil)
        }
        guard changed, readiness.isReady else { return }
        if let failure {
            notifier.status("\(readiness.readyStatus()); DEGRADED: the database (\(store.location)) does not answer: \(failure)")
            logger.error("the database does not answer; requests that need it get 503 until it is back", metadata: [
                "store": "\(store.location)", "error": "\(failure)",
            ])
        } else {
            notifier.status(readiness.readyStatus())
            logger.notice("the database answers again", metadata: ["store": "\(store.location)"])
        }
    }
}
