import Foundation
import NIOCore
import Synchronization
import TriageServer

/// An `Upstream` that answers from a script, and lets attempts "take" time on
/// a test clock, so retries, delays and the deadline run in no real time.
public final class ScriptedUpstream: Upstream {
    public enum Step: Sendable {
        case body(String)
        case fail(UpstreamFailure)
        /// Hangs: uses up its whole timeout on the clock, then times out.
        case hang
    }

    private let state = Mutex<(steps: [Step], fallback: Step, budgets: [TimeInterval])>(([], .body(#"{"id":1}"#), []))
    private let clock: SteppingClock

    public init(clock: SteppingClock, _ steps: [Step] = [], then fallback: Step = .body(#"{"userId":1,"id":1,"title":"t","body":"b"}"#)) {
        self.clock = clock
        state.withLock { $0 = (steps, fallback, []) }
    }

    /// The time budget of each attempt, in order.
    public var budgets: [TimeInterval] { state.withLock { $0.budgets } }
    public var attempts: Int { budgets.count }

    public func get(_ url: URL, timeout: TimeInterval) async throws(UpstreamFailure) -> ByteBuffer {
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
