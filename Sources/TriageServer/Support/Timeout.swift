import Synchronization

/// The operation did not finish in time.
public struct TimeoutError: Error, CustomStringConvertible, Sendable {
    public let after: Duration
    public var description: String { "timed out after \(after)" }
}

/// Runs `operation`, throwing `TimeoutError` as soon as it outlasts `timeout`.
///
/// The operation is cancelled then, but not waited for: a task group would
/// hold the caller until the operation noticed the cancellation (closing an
/// HTTP connection took 1–2 ms; a query stuck on a dead database connection
/// can take far longer), and the point of a timeout is that the caller gets
/// its answer on time. The cancelled operation finishes in the background.
public func withTimeout<Value: Sendable, C: Clock<Duration>>(
    _ timeout: Duration,
    clock: C = ContinuousClock(),
    operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = TimeoutRace<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await operation()))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                do {
                    try await clock.sleep(for: timeout)
                    race.finish(.failure(TimeoutError(after: timeout)))
                } catch {
                    // Cancelled because the operation finished first: nothing to report.
                }
            }
            race.whenFinished {
                work.cancel()
                timer.cancel()
            }
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// Resumes the caller exactly once, with whichever of the operation, the
/// timer or the caller's cancellation comes first.
private final class TimeoutRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        /// A result that arrived before the continuation was installed (the caller was already cancelled).
        var early: Result<Value, any Error>?
        var finished = false
        var cleanUp: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Value, any Error>) {
        let early = state.withLock { state -> Result<Value, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<Value, any Error>) {
        let (continuation, cleanUp) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, nil)
            }
            state.continuation = nil
            return (continuation, state.cleanUp)
        }
        continuation?.resume(with: result)
        cleanUp?()
    }

    /// Runs `cleanUp` once the race is decided (at once if it already is).
    func whenFinished(_ cleanUp: @escaping @Sendable () -> Void) {
        let decided = state.withLock { state -> Bool in
            if state.finished { return true }
            state.cleanUp = cleanUp
            return false
        }
        if decided { cleanUp() }
    }
}
