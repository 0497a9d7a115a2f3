import Foundation
import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct LoginThrottleTests {
    /// One reserved attempt that ends with `outcome`; the wait when none could be reserved.
    private func attempt(_ throttle: LoginThrottle, _ username: String, _ outcome: LoginThrottle.Outcome) -> TimeInterval? {
        if let wait = throttle.reserve(username: username) { return wait }
        throttle.finish(username: username, outcome)
        return nil
    }

    @Test func locksAfterFreeAttemptsWithADoublingWindow() {
        let clock = ManualWallClock()
        let throttle = LoginThrottle(clock: clock, freeAttempts: 3, maximumLockout: 8)
        for _ in 0..<2 { #expect(attempt(throttle, "alice", .wrongPassword) == nil) }
        #expect(attempt(throttle, "alice", .wrongPassword) == nil)
        #expect(throttle.reserve(username: "alice") == 1, "locked for 1 s after the third failure")
        clock.advance(by: 1)
        #expect(attempt(throttle, "alice", .wrongPassword) == nil)
        #expect(throttle.reserve(username: "alice") == 2, "then 2 s")
        for _ in 0..<10 {
            clock.advance(by: 8)
            _ = attempt(throttle, "alice", .wrongPassword)
        }
        #expect(throttle.reserve(username: "alice") == 8, "capped")
        #expect(attempt(throttle, "bob", .wrongPassword) == nil, "per username")
        clock.advance(by: 8)
        #expect(attempt(throttle, "alice", .succeeded) == nil)
        #expect(attempt(throttle, "alice", .wrongPassword) == nil, "a success forgets the failures")
    }

    @Test func onlyOneCheckPerUsernameIsInFlight() {
        let throttle = LoginThrottle(clock: ManualWallClock(), freeAttempts: 3)
        #expect(throttle.reserve(username: "alice") == nil)
        #expect(throttle.reserve(username: "alice") == LoginThrottle.busyRetry, "a second guess waits for the first")
        #expect(throttle.reserve(username: "bob") == nil, "others are not held up")
        throttle.finish(username: "alice", .wrongPassword)
        #expect(throttle.reserve(username: "alice") == nil, "free again once the first is counted")
        throttle.finish(username: "alice", .abandoned)
        for _ in 0..<2 { #expect(attempt(throttle, "alice", .wrongPassword) == nil) }
        #expect(throttle.reserve(username: "alice") != nil, "an abandoned attempt did not count: the third failure locks")
    }
}
