import Synchronization

/// A value a test changes while the code under test reads it through a closure
/// (a reloaded setting, a switch an upstream fake consults).
public final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    public var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
