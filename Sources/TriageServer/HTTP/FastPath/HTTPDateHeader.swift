import Foundation
import Synchronization

/// The `Date` header value (RFC 9110 IMF-fixdate), formatted at most once a
/// second. Hummingbird keeps its own for routed responses; this one serves
/// responses written straight from the channel pipeline.
final class HTTPDateHeader: Sendable {
    private struct Formatted {
        var second: Int
        var value: String
    }

    private let clock: any WallClock
    private let latest = Mutex(Formatted(second: .min, value: ""))

    init(clock: any WallClock) {
        self.clock = clock
    }

    var value: String {
        let second = Int(clock.now().timeIntervalSince1970.rounded(.down))
        return latest.withLock { latest in
            if latest.second != second {
                latest = Formatted(second: second, value: Self.format(epochSecond: second))
            }
            return latest.value
        }
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(epochSecond: Int) -> String {
        var seconds = time_t(epochSecond)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }
}
