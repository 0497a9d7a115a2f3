import Foundation
import Synchronization

/// Slows down password guessing. An attempt is reserved before the password is
/// checked: at most one check per username is in flight, so parallel guesses
/// cannot all reach bcrypt before the first failure counts. After
/// `freeAttempts` consecutive failures, attempts are refused (429 with
/// Retry-After) for a window that doubles with each failure, up to `maximumLockout`.
public final class LoginThrottle: Sendable {
    /// How a reserved attempt ended.
    public enum Outcome: Sendable {
        case succeeded
        case wrongPassword
        /// Ended without a verdict on the password (the store failed, the request was cancelled).
        case abandoned
    }

    private struct Record {
        var failures = 0
        var lockedUntil: Date?
        var checking = false
    }

    public let freeAttempts: Int
    public let maximumLockout: TimeInterval
    /// What a caller waits when another check for the same username is in flight.
    static let busyRetry: TimeInterval = 1
    private let clock: any ElapsedClock
    private let records = Mutex<[String: Record]>([:])
    /// Bounds memory when someone sprays random usernames.
    private let capacity = 10_000

    public init(clock: any ElapsedClock, freeAttempts: Int = 5, maximumLockout: TimeInterval = 300) {
        self.clock = clock
        self.freeAttempts = freeAttempts
        self.maximumLockout = maximumLockout
    }

    /// Reserves the one check allowed in flight for `username`: nil when reserved
    /// (the caller must `finish` it), else the seconds to wait.
    public func reserve(username: String) -> TimeInterval? {
        let now = clock.now()
        return records.withLock { records in
            var record = records[username] ?? Record()
            if let until = record.lockedUntil, until > now { return until.timeIntervalSince(now) }
            if record.checking { return Self.busyRetry }
            if records[username] == nil, records.count >= capacity {
                records = records.filter { $0.value.checking || ($0.value.lockedUntil.map { $0 > now } ?? false) }
            }
            record.checking = true
            records[username] = record
            return nil
        }
    }

    /// Ends a reserved attempt and counts its outcome.
    public func finish(username: String, _ outcome: Outcome) {
        let now = clock.now()
        records.withLock { records in
            guard var record = records[username] else { return }
            record.checking = false
            switch outcome {
            case .succeeded:
                records[username] = nil
                return
            case .abandoned:
                break
            case .wrongPassword:
                record.failures += 1
                if record.failures >= freeAttempts {
                    let exponent = Double(record.failures - freeAttempts)
                    record.lockedUntil = now.addingTimeInterval(min(pow(2, exponent), maximumLockout))
                }
            }
            records[username] = record.failures == 0 ? nil : record
        }
    }
}
