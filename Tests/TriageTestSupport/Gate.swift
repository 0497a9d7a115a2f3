import Synchronization

/// Holds whoever calls `pass()` until `open()`: how a test makes "while a load
/// (a day, an operation) is in flight" a state it waits for and ends itself,
/// instead of a sleep it hopes is long enough. It ignores cancellation on purpose.
public final class Gate: Sendable {
    private struct State {
        var open: Bool
        var waiting: [CheckedContinuation<Void, Never>] = []
        var passed = 0
    }

    private let state: Mutex<State>

    /// A gate that starts `open` lets everyone through at once.
    public init(open: Bool = false) {
        state = Mutex(State(open: open))
    }

    /// How many callers wait in `pass()` right now.
    public var waiting: Int { state.withLock { $0.waiting.count } }
    /// How many callers have gone through.
    public var passed: Int { state.withLock { $0.passed } }

    public func pass() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
        state.withLock { $0.passed += 1 }
    }

    public func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    /// Holds the next callers again.
    public func close() {
        state.withLock { $0.open = false }
    }
}
