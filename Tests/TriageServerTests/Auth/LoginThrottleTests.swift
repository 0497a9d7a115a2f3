import Foundation
import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct LoginThrottleTests {
    @Test func locksAfterFreeAttemptsWithADoublingWindow() {
        let clock = ManualWallClock()
        let throttle = LoginThrottle(clock: clock, freeAttempts: 3, maximumLockout: 8)
        for _ in 0..<2 { throttle.recordFailure(username: "alice") }
        #expect(throttle.retryAfter(username: "alice") == nil)
        throttle.recordFailure(username: "alice")
        #expect(throttle.retryAfter(username: "alice") == 1)
        clock.advance(by: 1)
        #expect(throttle.retryAfter(username: "alice") == nil)
        throttle.recordFailure(username: "alice")
        #expect(throttle.retryAfter(username: "alice") == 2)
        for _ in 0..<10 { throttle.recordFailure(username: "alice") }
        #expect(throttle.retryAfter(username: "alice") == 8, "capped")
        #expect(throttle.retryAfter(username: "bob") == nil, "per username")
        throttle.recordSuccess(username: "alice")
        #expect(throttle.retryAfter(username: "alice") == nil)
    }
}
