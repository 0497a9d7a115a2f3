import Foundation

/// Both stores keep times as integer milliseconds since the Unix epoch (UTC):
/// exact, compared without parsing, and the same `Date` comes back from either.
enum StoreTime {
    /// Clamped to Int64's range: a date no store holds must not trap the process.
    static func milliseconds(_ date: Date) -> Int64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        if let exact = Int64(exactly: milliseconds) { return exact }
        return milliseconds < 0 ? .min : .max
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
