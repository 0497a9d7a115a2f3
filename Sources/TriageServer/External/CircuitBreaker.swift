import Foundation
import Logging
import Synchronization

/// Stops calling an upstream that keeps failing. Closed → open after
/// `threshold` consecutive failed calls, or once at least `minimumCalls`
/// calls in the last `window` seconds failed at `failureRate` or more (an
/// upstream failing every other call never makes a long streak); while open,
/// calls fail fast; after the cool-down one probe goes through (half-open):
/// success closes it, failure opens it again.
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable, Equatable {
        case closed, open
        case halfOpen = "half-open"
    }

    /// Read at every call, so a reload applies at once.
    public struct Policy: Sendable, Equatable {
        public var threshold: Int
        public var coolDown: TimeInterval
        /// 0 turns the rate rule off.
        public var failureRate: Double
        public var window: TimeInterval
        public var minimumCalls: Int

        public init(threshold: Int, coolDown: TimeInterval, failureRate: Double = 0, window: TimeInterval = 60, minimumCalls: Int = 10) {
            self.threshold = threshold
            self.coolDown = coolDown
            self.failureRate = failureRate
            self.window = window
            self.minimumCalls = minimumCalls
        }
    }

    private struct Status {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: Date?
        var probeInFlight = false
        /// Calls while closed; a probe's outcome decides on its own.
        var recent = FailureWindow()

        mutating func open(at now: Date) {
            state = .open
            openedAt = now
            recent.clear()
        }
    }

    private let status = Mutex(Status())
    private let clock: any ElapsedClock
    private let policy: @Sendable () -> Policy
    private let logger: Logger
    private let onTransition: @Sendable (State) -> Void

    public init(
        clock: any ElapsedClock, policy: @escaping @Sendable () -> Policy, logger: Logger,
        onTransition: @escaping @Sendable (State) -> Void = { _ in }
    ) {
        self.clock = clock
        self.policy = policy
        self.logger = logger
        self.onTransition = onTransition
    }

    public var state: State { status.withLock { $0.state } }
    public var consecutiveFailures: Int { status.withLock { $0.consecutiveFailures } }

    /// When an open breaker lets the next probe through.
    public var retryAt: Date? {
        let coolDown = policy().coolDown
        return status.withLock { $0.state == .open ? $0.openedAt?.addingTimeInterval(coolDown) : nil }
    }

    /// Whether a call may go to the network now. In half-open only one probe at a time does.
    public func allowsCall() -> Bool {
        let now = clock.now()
        let coolDown = policy().coolDown
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
        let now = clock.now()
        let window = policy().window
        let transition = status.withLock { status -> State? in
            let previous = status.state
            if previous == .closed {
                status.consecutiveFailures = 0
                status.recent.record(failed: false, at: now, window: window)
                return nil
            }
            status = Status()
            return .closed
        }
        if let transition { announce(transition, reason: "the upstream answered") }
    }

    public func recordFailure() {
        let now = clock.now()
        let policy = policy()
        let reason = status.withLock { status -> String? in
            status.consecutiveFailures += 1
            status.probeInFlight = false
            switch status.state {
            case .halfOpen:
                status.open(at: now)
                return "the probe failed"
            case .closed:
                status.recent.record(failed: true, at: now, window: policy.window)
                if status.consecutiveFailures >= policy.threshold {
                    let reason = "\(status.consecutiveFailures) consecutive failed calls"
                    status.open(at: now)
                    return reason
                }
                let (calls, failures) = status.recent.totals(at: now, window: policy.window)
                if policy.failureRate > 0, calls >= policy.minimumCalls, Double(failures) >= policy.failureRate * Double(calls) {
                    status.open(at: now)
                    return "\(failures) of the last \(calls) calls failed within \(policy.window.rounded() == policy.window ? String(Int(policy.window)) : String(policy.window)) s"
                }
                return nil
            case .open:
                return nil
            }
        }
        if let reason { announce(.open, reason: reason) }
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
