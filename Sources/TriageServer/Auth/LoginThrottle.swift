import Foundation
import Synchronization

/// Slows down password guessing: after `freeAttempts` consecutive failures for
/// one username, further attempts are refused (429 with Retry-After) for a
/// window that doubles with each failure, up to `maximumLockout`.
public final class LoginThrottle: Sendable {
    private struct Record {
        var failures: Int
        var lockedUntil: Date?
    }

    public let freeAttempts: Int
    public let maximumLockout: TimeInterval
    private let clock: any WallClock
    private let records = Mutex<[String: Record]>([:])
    /// Bounds memory when someone sprays random usernames.
    private let capacity = 10_000

    public init(clock: any WallClock, freeAttempts: Int = 5, maximumLockout: TimeInterval = 300) {
        self.clock = clock
        self.freeAttempts = freeAttempts
        self.maximumLockout = maximumLockout
    }

    /// Seconds to wait before `username` may try again, or nil when it may try now.
    public func retryAfter(username: String) -> TimeInterval? {
        let now = clock.now()
        return records.withLock { records in
            guard let until = records[username]?.lockedUntil, until > now else { return nil }
            return until.timeIntervalSince(now)
        }
    }

    public func recordFailure(username: String) {
        let now = clock.now()
        records.withLock { records in
            if records.count >= capacity, records[username] == nil {
                records = records.filter { $0.value.lockedUntil.map { $0 > now } ?? false }
            }
            var record = records[username] ?? Record(failures: 0, lockedUntil: nil)
            record.failures += 1
            if record.failures >= freeAttempts {
                let exponent = Double(record.failures - freeAttempts)
                record.lockedUntil = now.addingTimeInterval(min(pow(2, exponent), maximumLockout))
            }
            records[username] = record
        }
    }

    public func recordSuccess(username: String) {
        _ = records.withLock { $0.removeValue(forKey: username) }
    }
}
