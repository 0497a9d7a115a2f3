import Foundation
import Logging
import Synchronization
import Testing
@testable import TriageServer
import TriageTestDoubles

/// The breaker's two trip rules, on a manual clock.
@Suite(.timeLimit(.minutes(2))) struct CircuitBreakerTests {
    let clock = ManualWallClock()
    private final class Transitions: Sendable {
        private let recorded = Mutex<[CircuitBreaker.State]>([])
        func append(_ state: CircuitBreaker.State) { recorded.withLock { $0.append(state) } }
        var all: [CircuitBreaker.State] { recorded.withLock { $0 } }
    }

    private let transitions = Transitions()

    private func breaker(_ policy: CircuitBreaker.Policy) -> CircuitBreaker {
        CircuitBreaker(clock: clock, policy: { policy }, logger: Logger(label: "test"), onTransition: { [transitions] state in
            transitions.append(state)
        })
    }

    private func calls(_ outcomes: String, on breaker: CircuitBreaker) {
        for outcome in outcomes {
            #expect(breaker.allowsCall())
            if outcome == "x" { breaker.recordFailure() } else { breaker.recordSuccess() }
        }
    }

    @Test func consecutiveFailuresOpenItAndASuccessResetsTheStreak() {
        let breaker = breaker(CircuitBreaker.Policy(threshold: 3, coolDown: 30))
        calls("xx.xx", on: breaker)
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 2)
        calls("x", on: breaker)
        #expect(breaker.state == .open)
        #expect(!breaker.allowsCall())
        #expect(transitions.all == [.open])
    }

    @Test func aHighFailureRateOpensItOnceTheMinimumIsReached() {
        let breaker = breaker(CircuitBreaker.Policy(threshold: 100, coolDown: 30, failureRate: 0.5, window: 60, minimumCalls: 10))
        calls("x.x.x.x.x", on: breaker)
        #expect(breaker.state == .closed, "nine calls are under the minimum")
        calls(".", on: breaker)
        #expect(breaker.state == .closed, "four of ten is under half")
        calls("x", on: breaker)
        #expect(breaker.state == .open, "six of eleven")
        #expect(transitions.all == [.open])
    }

    @Test func failuresOlderThanTheWindowNoLongerCount() {
        let breaker = breaker(CircuitBreaker.Policy(threshold: 100, coolDown: 30, failureRate: 0.5, window: 60, minimumCalls: 4))
        calls("xxx", on: breaker)
        clock.advance(by: 61)
        calls("..x", on: breaker)
        #expect(breaker.state == .closed, "only 1 of the 3 calls in the last minute failed")
        calls("x", on: breaker)
        #expect(breaker.state == .open, "2 of 4 in the window")
    }

    @Test func aZeroRateTurnsTheRateRuleOff() {
        let breaker = breaker(CircuitBreaker.Policy(threshold: 3, coolDown: 30, failureRate: 0, window: 60, minimumCalls: 1))
        calls(String(repeating: "xx.", count: 50), on: breaker)
        #expect(breaker.state == .closed)
    }

    @Test func afterAProbeClosesItTheWindowStartsEmpty() {
        let breaker = breaker(CircuitBreaker.Policy(threshold: 100, coolDown: 30, failureRate: 0.5, window: 60, minimumCalls: 4))
        calls("xxxx", on: breaker)
        #expect(breaker.state == .open)
        clock.advance(by: 30)
        #expect(breaker.allowsCall())
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.allowsCall(), "one probe at a time")
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        calls("xxx", on: breaker)
        #expect(breaker.state == .closed, "the failures before the probe are forgotten")
        #expect(transitions.all == [.open, .halfOpen, .closed])
    }

    @Test func theWindowKeepsFixedMemoryAndSlidesByTenths() {
        var window = FailureWindow()
        let start = Date(timeIntervalSince1970: 999_996)  // a bucket boundary: 6 s buckets
        for second in 0..<600 {
            window.record(failed: second.isMultiple(of: 2), at: start.addingTimeInterval(Double(second) / 10), window: 60)
        }
        #expect(window.totals(at: start.addingTimeInterval(59.9), window: 60) == (600, 300))
        // Buckets are 6 s wide and the window is the ten latest, the current one included.
        #expect(window.totals(at: start.addingTimeInterval(60), window: 60) == (540, 270))
        #expect(window.totals(at: start.addingTimeInterval(66), window: 60) == (480, 240))
        #expect(window.totals(at: start.addingTimeInterval(200), window: 60) == (0, 0))
    }
}
