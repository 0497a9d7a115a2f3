import Foundation

/// Time for intervals: cache lifetimes, the breaker's cool-down, login
/// lockouts, rate-limit refills, retry delays and deadlines. Unlike
/// `WallClock`, an operator or NTP setting the wall clock does not stretch or
/// cut them short. Its dates are comparable with each other only, never with
/// the wall clock or another process's.
public protocol ElapsedClock: Sendable {
    func now() -> Date
    /// Returns once `now() >= deadline`; throws `CancellationError` if cancelled first.
    func sleep(until deadline: Date) async throws
}

/// The monotonic clock (CLOCK_BOOTTIME, which counts a suspend and is never
/// set), as dates: the wall time at start plus the time elapsed since.
public struct SystemElapsedClock: ElapsedClock {
    private let origin: Date
    private let start: ContinuousClock.Instant

    public init() {
        origin = Date()
        start = .now
    }

    public func now() -> Date {
        let elapsed = (ContinuousClock.now - start).components
        return origin.addingTimeInterval(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    public func sleep(until deadline: Date) async throws {
        let offset = deadline.timeIntervalSince(origin)
        try await Task.sleep(until: start + .milliseconds(Int64((offset * 1000).rounded(.up))), clock: .continuous)
    }
}
