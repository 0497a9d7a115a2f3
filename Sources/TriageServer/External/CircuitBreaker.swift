import Foundation
import Logging
import Synchronization

/// Stops calling an upstream that keeps failing. Closed → open after
/// `threshold` consecutive failed calls; while open, calls fail fast; after
/// the cool-down one probe goes through (half-open): success closes it,
/// failure opens it again.
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable, Equatable {
        case closed, open
        case halfOpen = "half-open"
    }

    private struct Status {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: Date?
        var probeInFlight = false
    }

    private let status = Mutex(Status())
    private let clock: any WallClock
    private let settings: @Sendable () -> (threshold: Int, coolDown: TimeInterval)
    private let logger: Logger
    private let onTransition: @Sendable (State) -> Void

    public init(
        clock: any WallClock, settings: @escaping @Sendable () -> (threshold: Int, coolDown: TimeInterval), logger: Logger,
        onTransition: @escaping @Sendable (State) -> Void = { _ in }
    ) {
        self.clock = clock
        self.settings = settings
        self.logger = logger
        self.onTransition = onTransition
    }

    public var state: State { status.withLock { $0.state } }
    public var consecutiveFailures: Int { status.withLock { $0.consecutiveFailures } }

    /// When an open breaker lets the next probe through.
    public var retryAt: Date? {
        let coolDown = settings().coolDown
        return status.withLock { $0.state == .open ? $0.openedAt?.addingTimeInterval(coolDown) : nil }
    }

    /// Whether a call may go to the network now. In half-open only one probe at a time does.
    public func allowsCall() -> Bool {
        let now = clock.now()
        let coolDown = settings().coolDown
        let (allowed, transition) = status.withLock { status -> (Bool, State?) in
            switch status.state {
            case .closed:
                return (true, nil)
            case .open:
                guard let openedAt = status.openedAt, now.timeIntervalSince(openedAt) >= coolDown else { return (false, nil) }
                status.state = .halfOpen
                status.probeInFlight = true
                return (true, .halfOpen)
            case .halfOpen:
                guard !status.probeInFlight else { return (false, nil) }
                status.probeInFlight = true
                return (true, nil)
            }
        }
        if let transition { announce(transition, reason: "cool-down over; letting one probe through") }
        return allowed
    }

    public func recordSuccess() {
        let transition = status.withLock { status -> State? in
            let previous = status.state
            status = Status()
            return previous == .closed ? nil : .closed
        }
        if let transition { announce(transition, reason: "the upstream answered") }
    }

    public func recordFailure() {
        let now = clock.now()
        let threshold = settings().threshold
        let transition = status.withLock { status -> State? in
            status.consecutiveFailures += 1
            status.probeInFlight = false
            switch status.state {
            case .halfOpen:
                status.state = .open
                status.openedAt = now
                return .open
            case .closed where status.consecutiveFailures >= threshold:
                status.state = .open
                status.openedAt = now
                return .open
            default:
                return nil
            }
        }
        if let transition { announce(transition, reason: "\(consecutiveFailures) consecutive failed calls") }
    }

    /// `triagectl external reset`.
    public func reset() {
        let transition = status.withLock { status -> State? in
            let previous = status.state
            status = Status()
            return previous == .closed ? nil : .closed
        }
        if let transition { announce(transition, reason: "reset by an operator") }
    }

    private func announce(_ state: State, reason: String) {
        logger.notice("circuit breaker \(state.rawValue)", metadata: ["reason": "\(reason)"])
        onTransition(state)
    }
}
