import Foundation
import Testing
import TriageTestSupport
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct AddressRateLimiterTests {
    private let alice = IPAddress("192.0.2.1")
    private let bob = IPAddress("192.0.2.2")

    @Test func aBurstThenOneAttemptPerRefill() {
        let clock = ManualWallClock()
        let limiter = AddressRateLimiter(clock: clock) { .init(perMinute: 30, burst: 3) }
        for _ in 0..<3 { #expect(limiter.take(alice) == nil) }
        #expect(limiter.take(alice) == 2, "30 per minute: the next token is 2 s away")
        #expect(limiter.take(bob) == nil, "another address has its own bucket")
        clock.advance(by: 1)
        #expect(limiter.take(alice) == 1, "a refused attempt costs nothing")
        clock.advance(by: 1)
        #expect(limiter.take(alice) == nil)
        #expect(limiter.take(alice) != nil)
        clock.advance(by: 600)
        for _ in 0..<3 { #expect(limiter.take(alice) == nil) }
        #expect(limiter.take(alice) != nil, "refills up to the burst, not beyond")
    }

    @Test func zeroTurnsItOffAndNoAddressIsNotLimited() {
        let limiter = AddressRateLimiter(clock: ManualWallClock()) { .init(perMinute: 0, burst: 1) }
        for _ in 0..<100 { #expect(limiter.take(alice) == nil) }
        let on = AddressRateLimiter(clock: ManualWallClock()) { .init(perMinute: 1, burst: 1) }
        for _ in 0..<100 { #expect(on.take(nil) == nil, "an in-process caller has no address to limit") }
        #expect(limiter.trackedAddresses == 0)
    }

    @Test func aReloadedLimitAppliesToTheNextAttempt() {
        let limit = LockedValue(AddressRateLimiter.Limit(perMinute: 60, burst: 1))
        let limiter = AddressRateLimiter(clock: ManualWallClock()) { limit.value }
        #expect(limiter.take(alice) == nil)
        #expect(limiter.take(alice) != nil)
        limit.value = .init(perMinute: 0, burst: 1)
        #expect(limiter.take(alice) == nil)
    }

    @Test func anIPv6HostIsCountedPerSlash64() {
        let limiter = AddressRateLimiter(clock: ManualWallClock()) { .init(perMinute: 1, burst: 2) }
        #expect(limiter.take(IPAddress("2001:db8:1:2::1")) == nil)
        #expect(limiter.take(IPAddress("2001:db8:1:2:ffff::9")) == nil)
        #expect(limiter.take(IPAddress("2001:db8:1:2::abcd")) != nil, "a fresh address in the same /64 shares the bucket")
        #expect(limiter.take(IPAddress("2001:db8:1:3::1")) == nil, "the next /64 does not")
    }

    @Test func sprayedAddressesCannotGrowTheTableWithoutBound() {
        let clock = ManualWallClock()
        let limiter = AddressRateLimiter(clock: clock, capacity: 100) { .init(perMinute: 60, burst: 5) }
        for index in 0..<1_000 {
            _ = limiter.take(IPAddress("10.0.\(index / 256).\(index % 256)"))
        }
        #expect(limiter.trackedAddresses <= 100)
        clock.advance(by: 10)
        _ = limiter.take(alice)
        #expect(limiter.trackedAddresses == 1, "buckets that refilled are forgotten when room is needed")
    }
}
