import Foundation
import Testing
@testable import TriageCron

/// The forms croniter does not have, or has only in part, checked by hand:
/// Spring's documented examples (`CronExpression`'s Javadoc), Quartz's day
/// forms, the macros, and Spring's AND of the day fields. Every date's weekday
/// was checked against a calendar when the table was written.
@Suite(.timeLimit(.minutes(2))) struct CronQuartzFormsTests {
    struct Case: CustomStringConvertible, Sendable {
        let expression: String
        let after: String
        let expected: [String]
        let note: String
        var dayFields: CronExpression.DayFields = .either
        var description: String { "\(expression) after \(after): \(note)" }
    }

    /// 2026-12-03 is a Thursday.
    static let thursday = "2026-12-03T12:00:00Z"

    static let cases: [Case] = [
        // Spring's Javadoc, in order.
        Case(expression: "0 0 * * * *", after: thursday, expected: ["2026-12-03T13:00:00Z", "2026-12-03T14:00:00Z"], note: "top of every hour"),
        Case(expression: "*/10 * * * * *", after: thursday, expected: ["2026-12-03T12:00:10Z", "2026-12-03T12:00:20Z"], note: "every ten seconds"),
        Case(expression: "0 0 8-10 * * *", after: thursday, expected: ["2026-12-04T08:00:00Z", "2026-12-04T09:00:00Z", "2026-12-04T10:00:00Z"], note: "8, 9 and 10 o'clock"),
        Case(expression: "0 0 6,19 * * *", after: thursday, expected: ["2026-12-03T19:00:00Z", "2026-12-04T06:00:00Z"], note: "6:00 and 19:00"),
        Case(expression: "0 0/30 8-10 * * *", after: thursday, expected: ["2026-12-04T08:00:00Z", "2026-12-04T08:30:00Z", "2026-12-04T09:00:00Z"], note: "8:00, 8:30 … 10:30"),
        Case(expression: "0 0 9-17 * * MON-FRI", after: "2026-12-04T16:30:00Z", expected: ["2026-12-04T17:00:00Z", "2026-12-07T09:00:00Z"], note: "nine to five on weekdays"),
        Case(expression: "0 0 0 25 12 ?", after: thursday, expected: ["2026-12-25T00:00:00Z", "2027-12-25T00:00:00Z"], note: "Christmas Day"),
        Case(expression: "0 0 0 L * *", after: thursday, expected: ["2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z"], note: "last day of the month"),
        Case(expression: "0 0 0 L-3 * *", after: thursday, expected: ["2026-12-28T00:00:00Z", "2027-01-28T00:00:00Z", "2027-02-25T00:00:00Z"], note: "third-to-last day: the last day minus 3"),
        Case(expression: "0 0 0 1W * *", after: "2027-04-15T00:00:00Z", expected: ["2027-05-03T00:00:00Z", "2027-06-01T00:00:00Z"], note: "first weekday: 1 May 2027 is a Saturday, so Monday the 3rd"),
        Case(expression: "0 0 0 LW * *", after: thursday, expected: ["2026-12-31T00:00:00Z", "2027-01-29T00:00:00Z", "2027-02-26T00:00:00Z"], note: "last weekday: 31 Jan and 28 Feb 2027 are Sundays"),
        Case(expression: "0 0 0 * * 5L", after: thursday, expected: ["2026-12-25T00:00:00Z", "2027-01-29T00:00:00Z", "2027-02-26T00:00:00Z"], note: "last Friday"),
        Case(expression: "0 0 0 * * THUL", after: thursday, expected: ["2026-12-31T00:00:00Z", "2027-01-28T00:00:00Z"], note: "last Thursday"),
        Case(expression: "0 0 0 ? * 5#2", after: thursday, expected: ["2026-12-11T00:00:00Z", "2027-01-08T00:00:00Z"], note: "second Friday"),
        Case(expression: "0 0 0 ? * MON#1", after: thursday, expected: ["2026-12-07T00:00:00Z", "2027-01-04T00:00:00Z"], note: "first Monday"),
        // Beyond the Javadoc.
        Case(expression: "0 0 0 15W * *", after: "2027-08-01T00:00:00Z", expected: ["2027-08-16T00:00:00Z"], note: "15 Aug 2027 is a Sunday: Monday the 16th"),
        Case(expression: "0 0 0 31W 2 *", after: thursday, expected: ["2027-02-26T00:00:00Z"], note: "past February's end means its last day, a Sunday: Friday, within the month"),
        Case(expression: "0 0 0 L,1 * *", after: thursday, expected: ["2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z", "2027-01-31T00:00:00Z"], note: "a rule in a list"),
        Case(expression: "0 0 0 ? 2 1#5", after: thursday, expected: ["2044-02-29T00:00:00Z"], note: "a fifth Monday of February needs a leap year whose 29th is a Monday"),
        Case(expression: "0 0 0 L-30 1 *", after: thursday, expected: ["2027-01-01T00:00:00Z"], note: "31 − 30"),
        Case(expression: "@yearly", after: thursday, expected: ["2027-01-01T00:00:00Z"], note: "macro"),
        Case(expression: "@annually", after: thursday, expected: ["2027-01-01T00:00:00Z"], note: "macro"),
        Case(expression: "@monthly", after: thursday, expected: ["2027-01-01T00:00:00Z"], note: "macro"),
        Case(expression: "@weekly", after: thursday, expected: ["2026-12-06T00:00:00Z", "2026-12-13T00:00:00Z"], note: "macro: Sundays"),
        Case(expression: "@daily", after: thursday, expected: ["2026-12-04T00:00:00Z"], note: "macro"),
        Case(expression: "@MIDNIGHT", after: thursday, expected: ["2026-12-04T00:00:00Z"], note: "macro, any case"),
        Case(expression: "@hourly", after: thursday, expected: ["2026-12-03T13:00:00Z"], note: "macro"),
        // Both day fields restricted: cron's OR, and Spring's AND.
        Case(expression: "0 0 0 13 * FRI", after: thursday, expected: ["2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z", "2026-12-18T00:00:00Z"], note: "Fridays and 13ths"),
        Case(expression: "0 0 0 13 * FRI", after: thursday, expected: ["2027-08-13T00:00:00Z", "2028-10-13T00:00:00Z"], note: "Friday the 13th", dayFields: .both),
        Case(expression: "0 0 0 L * 5L", after: thursday, expected: ["2027-04-30T00:00:00Z"], note: "a last day that is the last Friday", dayFields: .both),
    ]

    @Test(arguments: cases)
    func firesOnTheHandCheckedDays(_ testCase: Case) throws {
        let expression = try CronExpression(testCase.expression)
        let schedule = CronSchedule(expression: expression, timeZone: try #require(TimeZone(identifier: "UTC")), dayFields: testCase.dayFields)
        let after = try Date(testCase.after, strategy: .iso8601)
        let fired = schedule.firings(after: after, count: testCase.expected.count).map { $0.instant.formatted(.iso8601) }
        #expect(fired == testCase.expected)
    }

    @Test func onlySixFieldExpressionsRestrictingBothDayFieldsReadDifferentlyInSpring() throws {
        #expect(try CronExpression("0 0 0 13 * FRI").readsDifferentlyInSpring)
        #expect(try CronExpression("0 0 0 L * 5#1").readsDifferentlyInSpring)
        #expect(try !CronExpression("0 0 13 * FRI").readsDifferentlyInSpring, "5 fields: cron's own form, cron's reading")
        #expect(try !CronExpression("0 0 0 13 * *").readsDifferentlyInSpring)
        #expect(try !CronExpression("0 0 0 ? * FRI").readsDifferentlyInSpring)
        #expect(try !CronExpression("0 0 0 13 * 0-6").readsDifferentlyInSpring, "every day of the week restricts nothing")
        #expect(try !CronExpression("@weekly").readsDifferentlyInSpring)
    }

    @Test func errorsSayWhereInTheTextTheProblemIs() {
        for (text, column, width) in [("0 0 3 32 * *", 7, 2), ("0  0 3 1-40 * *", 10, 2), ("0 0 3 5-1 * *", 7, 3), ("0 0 3 * * MON#9", 11, 5), ("  @often", 3, 6), ("0 0 3 LX * *", 7, 2), ("0 0 3 1,,2 * *", 7, 4)] {
            #expect {
                _ = try CronExpression(text)
            } throws: { error in
                guard let error = error as? CronError else { return false }
                return error.column == column && error.width == width
            }
        }
    }
}
