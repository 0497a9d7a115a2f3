/// A parsed cron expression: `sec min hour day-of-month month day-of-week`
/// (6 fields) or the classic `min hour day-of-month month day-of-week` (5
/// fields, seconds = 0). Day-of-month and day-of-week combine as cron does:
/// when both are restricted (neither allows every day), a day matching either
/// one matches; otherwise the restricted one alone decides.
public struct CronExpression: Equatable, Sendable, CustomStringConvertible {
    public let description: String
    let seconds: CronField
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    public init(_ text: String) throws(CronError) {
        let fields = text.split(whereSeparator: \.isWhitespace)
        let kinds: [CronField.Kind]
        switch fields.count {
        case 6: kinds = [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        case 5: kinds = [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        default:
            throw CronError(reason: "\"\(text)\" has \(fields.count) fields; expected 6 (sec min hour day-of-month month day-of-week) or 5")
        }
        var parsed: [CronField] = []
        for (field, kind) in zip(fields, kinds) {
            parsed.append(try CronField.parse(field, as: kind))
        }
        if parsed.count == 5 {
            parsed.insert(CronField(kind: .second, values: [0]), at: 0)
        }
        description = fields.joined(separator: " ")
        (seconds, minutes, hours) = (parsed[0], parsed[1], parsed[2])
        (daysOfMonth, months, daysOfWeek) = (parsed[3], parsed[4], parsed[5])
        guard canEverFire else {
            throw CronError(reason: "\"\(text)\" can never fire: no allowed month has any of its days of the month")
        }
    }

    /// Whether a calendar day is allowed. `weekday` is 0 for Sunday.
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (daysOfMonth.isUnrestricted, daysOfWeek.isUnrestricted) {
        case (true, true): return true
        case (true, false): return daysOfWeek.contains(weekday)
        case (false, true): return daysOfMonth.contains(day)
        case (false, false): return daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        }
    }

    /// Rejects expressions like `0 0 0 30 2 *` (30 February) at parse time
    /// rather than searching the calendar forever.
    private var canEverFire: Bool {
        guard daysOfWeek.isUnrestricted else { return true }
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return months.values.contains { month in daysOfMonth.values.contains { $0 <= longest[month - 1] } }
    }
}
