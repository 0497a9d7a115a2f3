import Foundation
import Logging
import NIOCore

/// The resilient call of DESIGN §4: per-attempt timeouts, retries with a fixed
/// delay for transient failures only, an overall deadline, a circuit breaker,
/// and the last good body to fall back on.
public struct ExternalClient: Sendable {
    public struct Policy: Sendable, Equatable {
        public var url: URL
        public var attemptTimeout: TimeInterval
        public var retries: Int
        public var retryDelay: TimeInterval
        public var deadline: TimeInterval
    }

    public enum Outcome: Sendable {
        case fresh(ByteBuffer)
        case fallback(reason: String, snapshot: LastKnownGood.Snapshot?)
    }

    private let upstream: any Upstream
    private let breaker: CircuitBreaker
    private let lastGood: LastKnownGood
    private let clock: any ElapsedClock
    private let wallClock: any WallClock
    private let policy: @Sendable () -> Policy
    private let metrics: ExternalMetrics?
    private let logger: Logger

    public init(
        upstream: any Upstream, breaker: CircuitBreaker, lastGood: LastKnownGood, clock: any ElapsedClock, wallClock: any WallClock,
        policy: @escaping @Sendable () -> Policy, metrics: ExternalMetrics?, logger: Logger
    ) {
        self.upstream = upstream
        self.breaker = breaker
        self.lastGood = lastGood
        self.clock = clock
        self.wallClock = wallClock
        self.policy = policy
        self.metrics = metrics
        self.logger = logger
    }

    public func fetch() async -> Outcome {
        let policy = policy()
        guard breaker.allowsCall() else {
            metrics?.call(outcome: "open-circuit")
            return .fallback(reason: "open circuit", snapshot: lastGood.snapshot)
        }
        let deadline = clock.now().addingTimeInterval(policy.deadline)
        var attempt = 0
        while true {
            attempt += 1
            metrics?.attempt()
            let budget = min(policy.attemptTimeout, deadline.timeIntervalSince(clock.now()))
            let failure: UpstreamFailure
            do throws(UpstreamFailure) {
                let body = try await upstream.get(policy.url, timeout: budget)
                try Self.requireJSONObject(body)
                breaker.recordSuccess()
                metrics?.call(outcome: "success")
                do {
                    // When it was fetched outlives the process (staleSeconds after a restart): wall time.
                    try await lastGood.remember(body, url: policy.url, at: wallClock.now())
                } catch {
                    logger.warning("cannot store the last good upstream body", metadata: ["error": "\(error)"])
                }
                return .fresh(body)
            } catch {
                failure = error
            }
            let retryAt = clock.now().addingTimeInterval(policy.retryDelay)
            let canRetry = failure.isTransient && attempt <= policy.retries && retryAt < deadline
            if canRetry {
                logger.warning("upstream attempt failed; retrying", metadata: [
                    "attempt": "\(attempt)", "cause": "\(failure)", "retryIn": "\(policy.retryDelay)", "url": "\(URLRedaction.forDisplay(policy.url))",
                ])
                metrics?.retry()
                do {
                    try await clock.sleep(until: retryAt)
                } catch {
                    return giveUp(after: attempt, failure: failure, url: policy.url)
                }
                continue
            }
            return giveUp(after: attempt, failure: failure, url: policy.url)
        }
    }

    private func giveUp(after attempts: Int, failure: UpstreamFailure, url: URL) -> Outcome {
        breaker.recordFailure()
        metrics?.call(outcome: "failure")
        logger.error("upstream call failed; answering with the fallback", metadata: [
            "attempts": "\(attempts)", "cause": "\(failure)", "url": "\(URLRedaction.forDisplay(url))",
        ])
        return .fallback(reason: failure.phrase, snapshot: lastGood.snapshot)
    }

    static func requireJSONObject(_ body: ByteBuffer) throws(UpstreamFailure) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)), object is [String: Any] else {
            throw .badBody("\(body.readableBytes) bytes that do not parse as one")
        }
    }
}
