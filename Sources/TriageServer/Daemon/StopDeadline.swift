import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// How long a stop may take. The first SIGTERM (or SIGINT) starts the group's
/// graceful shutdown: listeners close, requests in flight finish, the batch
/// finishes its day, views are flushed. Once `drainTimeout` has passed, or at
/// a second signal, what is still running is cancelled instead: connections
/// close, unfinished requests get no answer (and wrote nothing: each write is
/// one transaction), and the store is closed as after any stop.
struct StopDeadline: Sendable {
    let drainTimeout: Duration
    let logger: Logger

    /// Runs `group` to its end, escalating its shutdown as above. A stop cut
    /// short is still a stop: it returns normally.
    func run(_ group: ServiceGroup) async throws {
        let running = Task { try await group.run() }
        let ended = Mutex(false)
        let forced = Mutex(false)
        let cutShort: @Sendable (String) -> Void = { [logger] reason in
            guard !ended.withLock({ $0 }) else { return }
            forced.withLock { $0 = true }
            logger.warning("stopping now: \(reason); requests still in flight are cut off")
            running.cancel()
        }
        let watcher = Task { [drainTimeout] in
            // The group traps the same signals; every trapping sequence sees each one.
            var deadline: Task<Void, Never>?
            var seen = 0
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                seen += 1
                if seen == 1 {
                    deadline = Task {
                        guard (try? await Task.sleep(for: drainTimeout)) != nil else { return }
                        cutShort("the drain timeout (http.drainTimeout, \(drainTimeout)) passed")
                    }
                } else {
                    cutShort("a second \(signal) arrived while draining")
                    break
                }
            }
            deadline?.cancel()
        }
        defer {
            ended.withLock { $0 = true }
            watcher.cancel()
        }
        do {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                running.cancel()
            }
        } catch {
            // Services cancelled mid-work may end with their own errors: the stop itself went as asked.
            guard forced.withLock({ $0 }) || error is CancellationError else { throw error }
            logger.debug("services ended by the cut-short stop", metadata: ["error": "\(error)"])
        }
    }
}
