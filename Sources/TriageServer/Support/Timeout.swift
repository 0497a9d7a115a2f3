import NIOCore
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
    try await withTimeout(timeout, timer: .sleeping(on: clock), operation: operation)
}

/// `withTimeout` with the timer `timer` starts.
public func withTimeout<Value: Sendable>(
    _ timeout: Duration,
    timer: TimeoutTimer,
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
            let stopTimer = timer.start(timeout) { race.finish(.failure(TimeoutError(after: timeout))) }
            race.whenFinished {
                work.cancel()
                stopTimer()
            }
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// What fires a timeout: `start(after, fire)` arms it and returns what disarms it.
public struct TimeoutTimer: Sendable {
    let start: @Sendable (_ after: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void

    /// A task sleeping on `clock` (tests pass a clock they control).
    public static func sleeping<C: Clock<Duration>>(on clock: C) -> TimeoutTimer {
        TimeoutTimer { after, fire in
            let sleeper = Task {
                do {
                    try await clock.sleep(for: after)
                    fire()
                } catch {
                    // Cancelled because the race was decided first: nothing to report.
                }
            }
            return { sleeper.cancel() }
        }
    }

    /// A timer on one of `group`'s event loops: a heap entry armed and removed, where a
    /// sleeping task costs a task and a dispatch timer (libdispatch's timer thread was 8 %
    /// of the daemon's CPU under a load of PostgreSQL reads, each in a timeout).
    public static func scheduled(on group: any EventLoopGroup) -> TimeoutTimer {
        TimeoutTimer { after, fire in
            let scheduled = group.next().scheduleTask(in: TimeAmount(after)) { fire() }
            return { scheduled.cancel() }
        }
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
