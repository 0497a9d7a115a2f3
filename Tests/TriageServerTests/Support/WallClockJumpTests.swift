import Foundation
import Testing
@testable import TriageServer
import TriageTestDoubles

/// The application as the daemon builds it, with its wall clock and its
/// elapsed (monotonic) clock apart: set the wall clock a day forward and three
/// days back (NTP, an operator) and a login lockout, the breaker's cool-down and
/// the popular cache's lifetime do not move; they end when elapsed time says so.
@Suite(.timeLimit(.minutes(1))) struct WallClockJumpTests {
    @Test func lockoutsCoolDownsAndCacheLifetimesFollowElapsedTimeNotTheWallClock() async throws {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.popularCacheTTL = 60
        let elapsed = ManualWallClock()
        try await TrackerFixture.with(settings: settings, elapsed: elapsed) { fixture in
            let throttle = fixture.services.throttle
            for _ in 0..<5 {
                #expect(throttle.reserve(username: "alice") == nil)
                throttle.finish(username: "alice", .wrongPassword)
            }
            let lockout = try #require(throttle.reserve(username: "alice"), "five wrong passwords lock alice out")
            let breaker = fixture.application.external.breaker
            for _ in 0..<100 where breaker.allowsCall() { breaker.recordFailure() }
            #expect(!breaker.allowsCall(), "the breaker is open")
            let cached = try await fixture.services.popular.body()
            #expect(fixture.services.popular.immediateBody() == cached)

            fixture.clock.advance(by: 86_400)
            #expect(throttle.reserve(username: "alice") != nil, "a wall clock set forward does not end a lockout")
            #expect(!breaker.allowsCall(), "nor the breaker's cool-down")
            #expect(fixture.services.popular.immediateBody() == cached, "nor a cache entry's life")
            fixture.clock.advance(by: -3 * 86_400)

            elapsed.advance(by: lockout)
            #expect(throttle.reserve(username: "alice") == nil, "a wall clock set back does not lengthen a lockout")
            elapsed.advance(by: settings.externalBreakerCoolDown)
            #expect(breaker.allowsCall(), "nor the cool-down")
            elapsed.advance(by: settings.popularCacheTTL)
            #expect(fixture.services.popular.immediateBody() == nil, "nor a cache entry's life")
        }
    }

    /// The same with the daemon's own monotonic clock and real sleeps. A hold is only
    /// required to outlast the jump while less real time than it lasts has passed, so
    /// a test process that stalls under load cannot fail it; the end is waited for.
    @Test func withTheRealMonotonicClockHoldsEndWhenTheirTimeHasPassed() async throws {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.popularCacheTTL = 2
        settings.externalBreakerCoolDown = 2
        try await TrackerFixture.with(settings: settings, elapsed: SystemElapsedClock()) { fixture in
            let throttle = fixture.services.throttle
            for _ in 0..<5 {
                #expect(throttle.reserve(username: "alice") == nil)
                throttle.finish(username: "alice", .wrongPassword)
            }
            let locked = ContinuousClock.now
            let lockout = try #require(throttle.reserve(username: "alice"), "five wrong passwords lock alice out")
            let breaker = fixture.application.external.breaker
            for _ in 0..<100 where breaker.allowsCall() { breaker.recordFailure() }
            let opened = ContinuousClock.now
            let cached = try await fixture.services.popular.body()
            let stored = ContinuousClock.now

            fixture.clock.advance(by: 86_400)
            // A hold found over (the test process stalled that long) is given back as found: the
            // login check it reserved abandoned, the half-open breaker's trial call a failure.
            if throttle.reserve(username: "alice") == nil {
                #expect(ContinuousClock.now - locked >= .seconds(lockout), "a wall clock set forward ended a lockout")
                throttle.finish(username: "alice", .abandoned)
            }
            if breaker.allowsCall() {
                #expect(ContinuousClock.now - opened >= .seconds(settings.externalBreakerCoolDown), "a wall clock set forward ended the cool-down")
                breaker.recordFailure()
            }
            #expect(fixture.services.popular.immediateBody() == cached || ContinuousClock.now - stored >= .seconds(settings.popularCacheTTL))
            fixture.clock.advance(by: -3 * 86_400)

            try await Task.sleep(for: .seconds(max(lockout, settings.externalBreakerCoolDown, settings.popularCacheTTL)) + .milliseconds(100))
            #expect(throttle.reserve(username: "alice") == nil, "a wall clock set back does not lengthen a lockout")
            #expect(breaker.allowsCall(), "nor the cool-down")
            #expect(fixture.services.popular.immediateBody() == nil, "nor a cache entry's life")
        }
    }
}
