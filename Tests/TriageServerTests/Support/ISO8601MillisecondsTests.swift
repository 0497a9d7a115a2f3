import Foundation
import Testing
@testable import TriageServer

/// The timestamp writer says what Foundation's calendar says for the second,
/// followed by the stored milliseconds exactly. (Foundation's own fractional
/// seconds truncate the binary double: a stored …40.123 printed as …40.122.)
@Suite(.timeLimit(.minutes(1))) struct ISO8601MillisecondsTests {
    static let edges: [Int64] = [
        0, -1, 1, 86_399_999, 86_400_000, -86_400_000,
        951_782_400_000, // 2000-02-29
        4_107_542_400_000, // 2100-03-01
        1_780_000_000_123, 253_402_300_799_999, // 9999-12-31T23:59:59.999
        -62_167_219_200_000, // 0000-01-01
    ]
    static let wholeSeconds = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// Foundation for the date and time to the second, our arithmetic only for the milliseconds.
    static func expected(_ milliseconds: Int64) -> String {
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (second, millisecond) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let text = Date(timeIntervalSince1970: Double(second)).formatted(wholeSeconds)
        return text.dropLast() + "." + String(String(millisecond + 1000).dropFirst()) + "Z"
    }

    static func check(_ milliseconds: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        let date = StoreTime.date(milliseconds)
        let text = ISO8601Milliseconds.string(from: date)
        #expect(text == expected(milliseconds), "\(milliseconds)", sourceLocation: sourceLocation)
        let parsed = try? Date(text, strategy: ISO8601Milliseconds.foundationStyle)
        #expect(parsed.map(StoreTime.milliseconds) == milliseconds, "round trip of \(text)", sourceLocation: sourceLocation)
    }

    @Test func edgesAreExact() {
        for milliseconds in Self.edges { Self.check(milliseconds) }
    }

    @Test func randomMillisecondsFrom1900To2200AreExact() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            Self.check(Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator))
        }
    }

    @Test func datesNoStoreHoldsDoNotTrap() {
        #expect(StoreTime.milliseconds(Date(timeIntervalSince1970: 1e300)) == .max)
        #expect(StoreTime.milliseconds(Date(timeIntervalSince1970: -1e300)) == .min)
        #expect(StoreTime.milliseconds(StoreTime.date(.max)) == .max, "Int64.max ms is 2^63 as a Double")
    }

    @Test func yearsOutsideFourDigitsFallBackToFoundation() {
        let date = StoreTime.date(300_000_000_000_000)
        #expect(ISO8601Milliseconds.string(from: date) == date.formatted(ISO8601Milliseconds.foundationStyle))
    }
}
