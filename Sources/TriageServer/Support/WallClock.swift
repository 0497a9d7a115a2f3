import Foundation
import Synchronization

/// Where "now" comes from and how to wait for a wall-clock time, so tests of
/// expiry, throttling, cron firing and catch-up run in milliseconds.
public protocol WallClock: Sendable {
    func now() -> Date
    /// Returns at `deadline`, or earlier: callers look at `now()` again. Throws
    /// `CancellationError` if cancelled first.
    func sleep(until deadline: Date) async throws
}

public struct SystemWallClock: WallClock {
    /// Longest single nap: waking up regularly notices wall-clock jumps (NTP, suspend).
    static let longestNap: TimeInterval = 60

    public init() {}

    public func now() -> Date { Date() }

    /// At most `longestNap` at a time: a wall clock set back by an hour must not
    /// keep the caller (the scheduler, whose loop the watchdog watches) asleep for one.
    public func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSince(now())
        guard remaining > 0 else { return }
        try await Task.sleep(for: .seconds(min(remaining, Self.longestNap)))
    }
}
