import Foundation
import Testing
@testable import TriageCron
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct CronExpressionTests {
    @Test(arguments: [
        "0 0 3 * * *", "*/15 * * * *", "0 0 9-17/2 * * MON-FRI", "0 0 0 1,15 * ?", "0 0 0 ? jan,JUL sun",
        "0 0 0 * * 7", "30 4 1,15 * 5", "0 5/20 * * * *", "59 59 23 31 12 *", "0 0 0 29 2 *", "0 0 12 ? * 1-5",
        "  0   0  3  *  *  *  ",
    ])
    func acceptsValidExpressions(text: String) throws {
        _ = try CronExpression(text)
    }

    @Test(arguments: [
        ("", "0 fields"), ("* * * *", "4 fields"), ("* * * * * * *", "7 fields"),
        ("60 * * * * *", "second"), ("* 60 * * * *", "minute"), ("* * 24 * * *", "hour"),
        ("* * * 0 * *", "day-of-month"), ("* * * 32 * *", "day-of-month"), ("* * * * 13 *", "month"),
        ("* * * * * 8", "day-of-week"), ("*/0 * * * * *", "step"), ("5-1 * * * * *", "backwards"),
        ("? * * * * *", "'?'"), ("* * * * FOO *", "FOO"), ("1,,2 * * * * *", "empty"), ("1/2/3 * * * * *", "'/'"),
        ("0 0 0 30 2 *", "never fire"), ("0 0 0 31 4,6,9,11 *", "never fire"), ("1-2-3 * * * * *", "range"),
        ("* * * * * MON-SUN", "backwards"), ("+5 * * * * *", "not a number"), ("* * * X * *", "not a number"), ("* * * LX * *", "L, L-n, LW or nW"), ("* * * L-31 * *", "0 to 30"), ("* * * 32W * *", "1 to 31"), ("* * * * * 5#6", "1 to 5"), ("* * * * * L", "needs a day"), ("* * * * * 8L", "outside"), ("@often", "not a macro"),
    ])
    func rejectsInvalidExpressionsWithAReason(text: String, mentions: String) {
        #expect {
            _ = try CronExpression(text)
        } throws: { error in
            (error as? CronError)?.description.contains(mentions) == true
        }
    }

    @Test func fieldsExpandAsCronDoes() throws {
        let expression = try CronExpression("0 5/20 9-17/4 1,15 JAN-MAR SUN,7,sat")
        #expect(expression.minutes.values == [5, 25, 45])
        #expect(expression.hours.values == [9, 13, 17])
        #expect(expression.daysOfMonth.values == [1, 15])
        #expect(expression.months.values == [1, 2, 3])
        #expect(expression.daysOfWeek.values == [0, 6])
        #expect(try CronExpression("*/10 * * * *").seconds.values == [0])
        #expect(try CronExpression("0 0 0 * * */2").daysOfWeek.values == [0, 2, 4, 6])
        #expect(try CronExpression("0 0 0 * * 1/2").daysOfWeek.values == [1, 3, 5])
    }

    /// Found by fuzzing: `7/7` (Sunday spelled 7, then every 7th day) made a backwards range and crashed the parser.
    @Test func sundayAsSevenWithAStepIsJustSunday() throws {
        #expect(try CronExpression("1,7,0 0 2 * * 0,7/7").daysOfWeek.values == [0])
        #expect(try CronExpression("0 0 2 * * 7/2").daysOfWeek.values == [0])
    }

    @Test func dayFieldsCombineAsCronDoes() throws {
        // Both restricted: either matches.
        let either = try CronExpression("0 0 0 1 * MON")
        #expect(either.matchesDay(CivilDate(year: 2026, month: 11, day: 30)))
        #expect(either.matchesDay(CivilDate(year: 2026, month: 12, day: 1)))
        #expect(!either.matchesDay(CivilDate(year: 2026, month: 12, day: 2)))
        // One unrestricted: only the other counts.
        let mondays = try CronExpression("0 0 0 ? * MON")
        #expect(!mondays.matchesDay(CivilDate(year: 2026, month: 12, day: 1)))
        #expect(mondays.matchesDay(CivilDate(year: 2026, month: 12, day: 7)))
        let firsts = try CronExpression("0 0 0 1 * *")
        #expect(!firsts.matchesDay(CivilDate(year: 2026, month: 11, day: 30)))
        // A field that allows every day restricts nothing, however it is spelled.
        for everyDay in ["0-6", "*/1", "SUN-SAT", "1-7"] {
            let expression = try CronExpression("0 0 0 1 * \(everyDay)")
            #expect(!expression.matchesDay(CivilDate(year: 2026, month: 11, day: 30)), "\(everyDay)")
            #expect(expression.matchesDay(CivilDate(year: 2026, month: 12, day: 1)), "\(everyDay)")
        }
        // A step that skips days is a restriction (Vixie cron's leading-`*` rule would say otherwise).
        let odd = try CronExpression("0 0 0 */2 * MON")
        #expect(odd.matchesDay(CivilDate(year: 2026, month: 11, day: 30)))
        #expect(odd.matchesDay(CivilDate(year: 2026, month: 12, day: 3)))
        #expect(!odd.matchesDay(CivilDate(year: 2026, month: 12, day: 2)))
    }
}
