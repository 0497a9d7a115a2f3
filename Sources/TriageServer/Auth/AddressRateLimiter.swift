import Foundation
import Synchronization

/// A token bucket per client address for the unauthenticated, expensive
/// routes (sign-up, login): `burst` attempts at once, then `perMinute`
/// refilled evenly. One address flooding them waits; others are untouched.
public final class AddressRateLimiter: Sendable {
    public struct Limit: Sendable, Equatable {
        /// 0 turns the limit off.
        public var perMinute: Double
        public var burst: Int

        public init(perMinute: Double, burst: Int) {
            self.perMinute = perMinute
            self.burst = burst
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let clock: any ElapsedClock
    private let limit: @Sendable () -> Limit
    private let buckets = Mutex<[[UInt8]: Bucket]>([:])
    /// Bounds memory against address spraying; past it, unknown addresses pass untracked.
    let capacity: Int

    /// `limit` is read on every attempt, so reloaded `auth.attempts*` keys apply at once.
    public init(clock: any ElapsedClock, capacity: Int = 100_000, limit: @escaping @Sendable () -> Limit) {
        self.clock = clock
        self.capacity = capacity
        self.limit = limit
    }

    /// Takes one token for `address`: nil when allowed, else the seconds until one is back.
    /// No address (an in-process caller) is not limited.
    public func take(_ address: IPAddress?) -> TimeInterval? {
        let limit = limit()
        guard let address, limit.perMinute > 0 else { return nil }
        let perSecond = limit.perMinute / 60
        let capacity = Double(limit.burst)
        let now = clock.now()
        let key = Self.key(address)
        return buckets.withLock { buckets -> TimeInterval? in
            if buckets[key] == nil && buckets.count >= self.capacity {
                buckets = buckets.filter { Self.refilled($0.value, at: now, perSecond: perSecond) < capacity }
                if buckets.count >= self.capacity { return nil }
            }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = Self.refilled(bucket, at: now, perSecond: perSecond, capacity: capacity)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / perSecond
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }

    var trackedAddresses: Int { buckets.withLock { $0.count } }

    /// IPv6 callers are counted per /64: one host usually holds a whole /64,
    /// so a per-address bucket would be one bucket per request.
    static func key(_ address: IPAddress) -> [UInt8] {
        address.bytes.count == 16 ? Array(address.bytes.prefix(8)) : address.bytes
    }

    private static func refilled(_ bucket: Bucket, at now: Date, perSecond: Double, capacity: Double = .infinity) -> Double {
        // A clock that went backwards refills nothing rather than draining the bucket.
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return min(capacity, bucket.tokens + elapsed * perSecond)
    }
}
