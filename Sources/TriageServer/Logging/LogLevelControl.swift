import Logging
import Synchronization

/// The daemon-wide log level, shared by every log handler so that
/// `triagectl log-level` and a reload change it for all loggers at once.
/// An atomic, because every log call (and every request's logger check) reads it.
public final class LogLevelControl: Sendable {
    private static let levels = Logger.Level.allCases
    private let index: Atomic<Int>

    public init(_ initial: Logger.Level) {
        index = Atomic(Self.levels.firstIndex(of: initial) ?? 0)
    }

    public var current: Logger.Level {
        Self.levels[index.load(ordering: .relaxed)]
    }

    /// Sets the level and returns the previous one.
    @discardableResult
    public func set(_ newLevel: Logger.Level) -> Logger.Level {
        Self.levels[index.exchange(Self.levels.firstIndex(of: newLevel) ?? 0, ordering: .relaxed)]
    }
}
