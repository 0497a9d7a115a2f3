import Foundation

/// Both stores keep times as integer milliseconds since the Unix epoch (UTC):
/// exact, compared without parsing, and the same `Date` comes back from either.
enum StoreTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
