import Synchronization

/// The settings in force; a reload swaps them atomically. Components that honour
/// reloadable keys read from here instead of keeping their own copy.
public final class SettingsHolder: Sendable {
    private let settings: Mutex<Settings>

    public init(_ initial: Settings) {
        settings = Mutex(initial)
    }

    public var current: Settings { settings.withLock { $0 } }

    func replace(with new: Settings) {
        settings.withLock { $0 = new }
    }
}
