import Foundation
import Testing
@testable import TriageCron
@testable import TriageServer

/// Hand-checked firings, DST transitions included (each verified against
/// Python's zoneinfo when it was written).
@Suite(.timeLimit(.minutes(2))) struct CronScheduleTests {
    struct Case: CustomStringConvertible, Sendable {
        let expression: String
        let zone: String
        let after: String
        let expected: [String]
        let note: String
        var description: String { "\(expression) in \(zone) after \(after): \(note)" }
    }

    static let cases: [Case] = [
        Case(expression: "0 0 3 * * *", zone: "Europe/Berlin", after: "2026-11-25T10:00:00Z",
             expected: ["2026-11-26T02:00:00Z", "2026-11-27T02:00:00Z"], note: "the seed's schedule, CET"),
        Case(expression: "0 0 3 * * *", zone: "UTC", after: "2026-11-25T03:00:00Z",
             expected: ["2026-11-26T03:00:00Z"], note: "strictly after"),
        Case(expression: "0 0 3 * * *", zone: "UTC", after: "2026-11-25T02:59:59.5Z",
             expected: ["2026-11-25T03:00:00Z"], note: "fractions of a second"),
        Case(expression: "0 30 2 * * *", zone: "Europe/Berlin", after: "2026-03-28T12:00:00Z",
             expected: ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"], note: "02:30 does not exist on 29 March: fires once at 03:00 CEST"),
        Case(expression: "0 * 2 * * *", zone: "Europe/Berlin", after: "2026-03-29T00:30:00Z",
             expected: ["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"], note: "a whole skipped hour fires once"),
        Case(expression: "0 0 3 * * *", zone: "Europe/Berlin", after: "2026-03-28T12:00:00Z",
             expected: ["2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"], note: "03:00 right after the gap"),
        Case(expression: "0 30 2 * * *", zone: "Europe/Berlin", after: "2026-10-24T12:00:00Z",
             expected: ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"], note: "02:30 happens twice on 25 October: fires once, at the first"),
        Case(expression: "0 0 3 * * *", zone: "Europe/Berlin", after: "2026-10-24T12:00:00Z",
             expected: ["2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z"], note: "03:00 on a 25-hour day"),
        Case(expression: "0 0 2 * * *", zone: "America/New_York", after: "2026-03-07T12:00:00Z",
             expected: ["2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"], note: "02:00 does not exist on 8 March"),
        Case(expression: "0 30 1 * * *", zone: "America/New_York", after: "2026-10-31T12:00:00Z",
             expected: ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"], note: "01:30 happens twice on 1 November"),
        Case(expression: "0 0 3 * * *", zone: "Asia/Seoul", after: "2026-11-25T00:00:00Z",
             expected: ["2026-11-25T18:00:00Z"], note: "UTC+9, no DST today"),
        Case(expression: "0 30 2 8 5 *", zone: "Asia/Seoul", after: "1988-05-01T00:00:00Z",
             expected: ["1988-05-07T17:00:00Z", "1989-05-07T17:30:00Z"], note: "Seoul's 1988 spring-forward gap"),
        Case(expression: "0 30 2 9 10 *", zone: "Asia/Seoul", after: "1988-10-01T00:00:00Z",
             expected: ["1988-10-08T16:30:00Z", "1989-10-08T17:30:00Z"], note: "Seoul's 1988 repeated hour"),
        Case(expression: "0 0 0 1 * MON", zone: "UTC", after: "2026-11-25T00:00:00Z",
             expected: ["2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z"], note: "day-of-month OR day-of-week"),
        Case(expression: "0 0 0 29 2 *", zone: "UTC", after: "2026-01-01T00:00:00Z",
             expected: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"], note: "leap days"),
        Case(expression: "0 0 0 29 2 *", zone: "UTC", after: "2096-03-01T00:00:00Z",
             expected: ["2104-02-29T00:00:00Z"], note: "2100 is not a leap year"),
        Case(expression: "59 59 23 31 12 *", zone: "UTC", after: "2026-12-31T23:59:58Z",
             expected: ["2026-12-31T23:59:59Z", "2027-12-31T23:59:59Z"], note: "year end"),
        Case(expression: "*/15 * * * *", zone: "UTC", after: "2026-11-25T10:07:30Z",
             expected: ["2026-11-25T10:15:00Z", "2026-11-25T10:30:00Z"], note: "5-field form"),
        Case(expression: "* * * * * *", zone: "Europe/Berlin", after: "2026-11-25T10:07:30Z",
             expected: ["2026-11-25T10:07:31Z", "2026-11-25T10:07:32Z"], note: "every second"),
        Case(expression: "0 0 12 ? * MON-FRI", zone: "America/New_York", after: "2026-11-27T18:00:00Z",
             expected: ["2026-11-30T17:00:00Z"], note: "skips the weekend"),
        Case(expression: "0 0 0 31 * *", zone: "UTC", after: "2026-04-01T00:00:00Z",
             expected: ["2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"], note: "months without a 31st are skipped"),
    ]

    static func instant(_ text: String) throws -> Date {
        try Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains(".")))
    }

    @Test(arguments: cases)
    func firesWhenExpected(testCase: Case) throws {
        let zone = try #require(TimeZone(identifier: testCase.zone))
        let schedule = CronSchedule(expression: try CronExpression(testCase.expression), timeZone: zone)
        var cursor = try Self.instant(testCase.after)
        for expected in testCase.expected {
            let fire = try #require(schedule.nextFire(after: cursor))
            #expect(fire == (try Self.instant(expected)), "\(testCase): got \(fire)")
            cursor = fire
        }
    }

    @Test func civilDatesRoundTripAndKnowTheirWeekday() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1).weekday == 4)
        #expect(CivilDate(year: 2026, month: 11, day: 25).weekday == 3)
        #expect(CivilDate("2026-02-29") == nil)
        #expect(CivilDate("2028-02-29") == CivilDate(year: 2028, month: 2, day: 29))
        #expect(CivilDate("2026-1-05") == nil)
        #expect(CivilDate("2026-11-25")?.description == "2026-11-25")
    }

    @Test func dayWindowsAre23Or25HoursAcrossDST() throws {
        let berlin = ZonedTime(zone: try #require(TimeZone(identifier: "Europe/Berlin")))
        func hours(_ text: String) throws -> Int {
            let day = try #require(CivilDate(text))
            return (berlin.startOfDay(day.adding(days: 1)) - berlin.startOfDay(day)) / 3600
        }
        #expect(try hours("2026-03-29") == 23)
        #expect(try hours("2026-10-25") == 25)
        #expect(try hours("2026-11-25") == 24)
    }
}
