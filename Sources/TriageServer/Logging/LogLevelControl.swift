import Logging
import Synchronization

/// The daemon-wide log level, shared by every log handler so that
/// `triagectl log-level` and a reload change it for all loggers at once.
public final class LogLevelControl: Sendable {
    private let level: Mutex<Logger.Level>

    public init(_ initial: Logger.Level) {
        level = Mutex(initial)
    }

    public var current: Logger.Level {
        level.withLock { $0 }
    }

    /// Sets the level and returns the previous one.
    @discardableResult
    public func set(_ newLevel: Logger.Level) -> Logger.Level {
        level.withLock { current in
            let previous = current
            current = newLevel
            return previous
        }
    }
}
