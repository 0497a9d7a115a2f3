/// A parsed cron expression: `sec min hour day-of-month month day-of-week`
/// (6 fields), the classic `min hour day-of-month month day-of-week` (5
/// fields, seconds = 0), or a macro (`@daily`…). Day-of-month and day-of-week
/// combine as cron does: when both are restricted (neither allows every day),
/// a day matching either one matches; otherwise the restricted one alone decides.
public struct CronExpression: Equatable, Sendable, CustomStringConvertible {
    /// How the two day fields combine when both are restricted.
    public enum DayFields: Sendable {
        /// Cron's (and Triage's) reading: either field's days.
        case either
        /// Spring's and Quartz's: only days both fields allow (`13 * FRI`: Friday the 13th).
        case both
    }

    public let description: String
    let seconds: CronField
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField
    /// Written with 6 fields, the form Spring's `@Scheduled(cron = …)` takes.
    public let hasSecondsField: Bool

    public init(_ text: String) throws(CronError) {
        let written = text.split(whereSeparator: \.isWhitespace)
        let fields: [Substring]
        if written.count == 1, written[0].hasPrefix("@") {
            guard let expanded = CronMacro.fields(for: written[0]) else {
                throw CronError(
                    reason: "\"\(written[0])\" is not a macro; use one of \(CronMacro.names.joined(separator: ", "))",
                    column: text.distance(from: text.startIndex, to: written[0].startIndex) + 1, width: written[0].count
                )
            }
            fields = expanded.split(separator: " ")
            hasSecondsField = false
        } else {
            fields = written
            hasSecondsField = written.count == 6
        }
        let kinds: [CronField.Kind]
        switch fields.count {
        case 6: kinds = [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        case 5: kinds = [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        default:
            throw CronError(reason: "\"\(text)\" has \(fields.count) fields; expected 6 (sec min hour day-of-month month day-of-week), 5, or a macro such as @daily")
        }
        var parsed: [CronField] = []
        for (field, kind) in zip(fields, kinds) {
            parsed.append(try CronField.parse(field, as: kind))
        }
        if parsed.count == 5 {
            parsed.insert(CronField(kind: .second, values: [0]), at: 0)
        }
        description = written.joined(separator: " ")
        (seconds, minutes, hours) = (parsed[0], parsed[1], parsed[2])
        (daysOfMonth, months, daysOfWeek) = (parsed[3], parsed[4], parsed[5])
        guard canEverFire else {
            throw CronError(reason: "\"\(text)\" can never fire: no allowed month has any of its days of the month")
        }
    }

    /// Both day fields restricted in an expression written as Spring writes it:
    /// Spring would fire only on days both allow, Triage on days either allows.
    public var readsDifferentlyInSpring: Bool {
        hasSecondsField && !daysOfMonth.isUnrestricted && !daysOfWeek.isUnrestricted
    }

    /// What an operator is told about such an expression (after the setting's name).
    public static let springReadingNotice = """
        restricts both day-of-month and day-of-week in 6 fields: Triage fires on days either allows (cron's rule), \
        Spring and Quartz only on days both allow; `triagectl schedule next` shows both
        """

    /// Whether a calendar day is allowed.
    func matchesDay(_ date: CivilDate, dayFields: DayFields = .either) -> Bool {
        guard months.contains(date.month) else { return false }
        switch (daysOfMonth.isUnrestricted, daysOfWeek.isUnrestricted) {
        case (true, true): return true
        case (true, false): return daysOfWeek.matches(date)
        case (false, true): return daysOfMonth.matches(date)
        case (false, false):
            switch dayFields {
            case .either: return daysOfMonth.matches(date) || daysOfWeek.matches(date)
            case .both: return daysOfMonth.matches(date) && daysOfWeek.matches(date)
            }
        }
    }

    /// Rejects expressions like `0 0 0 30 2 *` (30 February) at parse time
    /// rather than searching the calendar forever.
    private var canEverFire: Bool {
        guard daysOfWeek.isUnrestricted else { return true }
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return months.values.contains { month in
            daysOfMonth.values.contains { $0 <= longest[month - 1] }
                || daysOfMonth.rules.contains { $0.isPossible(inMonthOf: longest[month - 1]) }
        }
    }
}
