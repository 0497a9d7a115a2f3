import Foundation
import Testing
import TriageTestSupport
@testable import TriageServer
import TriageTestDoubles

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

@Suite(.timeLimit(.minutes(2))) struct BoundedPasswordHasherTests {
    @Test func workBeyondTheCapacityIsRefusedAtOnceAndAdmittedAgainAfter() async throws {
        let held = GatedHasher()
        let hasher = BoundedPasswordHasher(base: held, capacity: { 2 })
        let first = Task { try await hasher.verify("a", hash: "h") }
        let second = Task { try await hasher.hash("b") }
        #expect(try await eventually { held.gate.waiting == 2 }, "two checks run")
        await #expect(throws: PasswordQueueFull(capacity: 2)) { _ = try await hasher.verify("c", hash: "h") }
        held.gate.open()
        _ = try await (first.value, second.value)
        #expect(try await hasher.verify("d", hash: "h"), "room again once they ended")
    }

    @Test func aFullQueueIs503WithRetryAfter() async throws {
        let held = GatedHasher()
        try await TrackerFixture.with(hasher: BoundedPasswordHasher(base: held, capacity: { 1 })) { fixture in
            try await fixture.test(.router) { client in
                let waiting = Task { try await client.call(.post, "/api/auth/signup", json: #"{"username":"first","password":"password-1"}"#) }
                #expect(try await eventually { held.gate.waiting == 1 })
                let refused = try await client.call(.post, "/api/auth/signup", json: #"{"username":"second","password":"password-2"}"#)
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                #expect(refused.headers[.contentType] == "application/problem+json")
                held.gate.open()
                #expect(try await waiting.value.status == .created)
            }
        }
    }
}

/// A hasher whose every call waits at a gate: "while checks are running" on demand.
final class GatedHasher: PasswordHasher {
    let gate = Gate()

    func hash(_ password: String) async throws -> String {
        await gate.pass()
        return "hash-of-" + password
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        await gate.pass()
        return true
    }
}
