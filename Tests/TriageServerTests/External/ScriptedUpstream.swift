import Foundation
import NIOCore
import Synchronization
@testable import TriageServer

/// An `Upstream` that answers from a script, and lets attempts "take" time on
/// a test clock, so retries, delays and the deadline run in no real time.
final class ScriptedUpstream: Upstream {
    enum Step: Sendable {
        case body(String)
        case fail(UpstreamFailure)
        /// Hangs: uses up its whole timeout on the clock, then times out.
        case hang
    }

    private let state = Mutex<(steps: [Step], fallback: Step, budgets: [TimeInterval])>(([], .body(#"{"id":1}"#), []))
    private let clock: SteppingClock

    init(clock: SteppingClock, _ steps: [Step] = [], then fallback: Step = .body(#"{"userId":1,"id":1,"title":"t","body":"b"}"#)) {
        self.clock = clock
        state.withLock { $0 = (steps, fallback, []) }
    }

    /// The time budget of each attempt, in order.
    var budgets: [TimeInterval] { state.withLock { $0.budgets } }
    var attempts: Int { budgets.count }

    func get(_ url: URL, timeout: TimeInterval) async throws(UpstreamFailure) -> ByteBuffer {
        let step = state.withLock { state -> Step in
            state.budgets.append(timeout)
            return state.steps.isEmpty ? state.fallback : state.steps.removeFirst()
        }
        switch step {
        case .body(let text): return ByteBuffer(string: text)
        case .fail(let failure): throw failure
        case .hang:
            clock.advance(by: timeout)
            throw .timeout
        }
    }
}

/// A manual clock whose sleeps return at once, moving time to their deadline
/// and remembering how long each was.
final class SteppingClock: WallClock {
    private let state: Mutex<(now: Date, sleeps: [TimeInterval])>

    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        state = Mutex((start, []))
    }

    func now() -> Date { state.withLock { $0.now } }

    var sleeps: [TimeInterval] { state.withLock { $0.sleeps } }

    func advance(by seconds: TimeInterval) {
        state.withLock { $0.now = $0.now.addingTimeInterval(seconds) }
    }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline.timeIntervalSince(state.now))
            if deadline > state.now { state.now = deadline }
        }
    }
}
