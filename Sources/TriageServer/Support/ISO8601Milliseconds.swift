import Foundation
import TriageCron

/// `2026-11-25T10:00:00.123Z`: the API's timestamps, written by integer
/// arithmetic (the day by `CivilDate`, the time by division). Foundation's
/// `ISO8601FormatStyle` goes through a calendar for every date (a large part
/// of a 20-issue page's time in perf) and truncates the binary double's
/// fraction, so a stored …40.123 came out as …40.122. Here the milliseconds
/// are rounded to the nearest, as `StoreTime` stores them: what is shown is
/// what is stored. Years outside 1583–9999 (before it Foundation counts in
/// the Julian calendar) fall back to Foundation. `ISO8601MillisecondsTests`
/// checks it against Foundation.
enum ISO8601Milliseconds {
    static let foundationStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// The length of every timestamp written by `write`.
    static let length = 24

    static func string(from date: Date) -> String {
        let written = String(unsafeUninitializedCapacity: length) { bytes in
            write(date, into: UnsafeMutableRawBufferPointer(bytes)) ? length : 0
        }
        return written.isEmpty ? date.formatted(foundationStyle) : written
    }

    /// Writes the `length` bytes of `date` at the start of `bytes`, or nothing and false
    /// for a year outside 1583–9999 (the caller falls back to `foundationStyle`) or a
    /// buffer too short.
    static func write(_ date: Date, into bytes: UnsafeMutableRawBufferPointer) -> Bool {
        guard bytes.count >= length else { return false }
        let milliseconds = StoreTime.milliseconds(date)
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, time) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        let civil = CivilDate(daysSinceEpoch: Int(day))
        guard (1583...9999).contains(civil.year) else { return false }
        func put(_ value: Int64, at index: Int, digits: Int) {
            var remaining = value
            for offset in stride(from: digits - 1, through: 0, by: -1) {
                bytes[index + offset] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
        }
        put(Int64(civil.year), at: 0, digits: 4)
        bytes[4] = UInt8(ascii: "-")
        put(Int64(civil.month), at: 5, digits: 2)
        bytes[7] = UInt8(ascii: "-")
        put(Int64(civil.day), at: 8, digits: 2)
        bytes[10] = UInt8(ascii: "T")
        put(time / 3_600_000, at: 11, digits: 2)
        bytes[13] = UInt8(ascii: ":")
        put(time / 60_000 % 60, at: 14, digits: 2)
        bytes[16] = UInt8(ascii: ":")
        put(time / 1000 % 60, at: 17, digits: 2)
        bytes[19] = UInt8(ascii: ".")
        put(time % 1000, at: 20, digits: 3)
        bytes[23] = UInt8(ascii: "Z")
        return true
    }
}
