/// One field of a cron expression: the set of values it allows, and for the
/// two day fields the Quartz forms (`L`, `LW`, `nW`, `dL`, `d#n`) it allows too.
struct CronField: Equatable, Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case second, minute, hour, dayOfMonth = "day-of-month", month, dayOfWeek = "day-of-week"

        var range: ClosedRange<Int> {
            switch self {
            case .second, .minute: return 0...59
            case .hour: return 0...23
            case .dayOfMonth: return 1...31
            case .month: return 1...12
            // 7 is accepted as a second spelling of Sunday and folded to 0.
            case .dayOfWeek: return 0...7
            }
        }

        var names: [String] {
            switch self {
            case .month: return ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: return ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: return []
            }
        }

        /// The value of names[0].
        var firstNamedValue: Int { self == .month ? 1 : 0 }
    }

    let kind: Kind
    /// Sorted allowed values.
    let values: [Int]
    /// Days that depend on the month (day fields only).
    let rules: Set<MonthDayRule>
    /// Allows every value (`*`, `?`, `0-6`, `*/1`…): for the two day fields,
    /// cron then matches by the other one alone. Deciding by the values rather
    /// than by a leading `*` avoids Vixie cron's `*/2` quirk, and agrees with croniter.
    let isUnrestricted: Bool
    private let lookup: [Bool]

    init(kind: Kind, values: Set<Int>, rules: Set<MonthDayRule> = []) {
        self.kind = kind
        var folded = values
        if kind == .dayOfWeek, folded.remove(7) != nil { folded.insert(0) }
        self.values = folded.sorted()
        self.rules = rules
        self.isUnrestricted = rules.isEmpty && folded.count == (kind == .dayOfWeek ? 7 : kind.range.count)
        var lookup = [Bool](repeating: false, count: kind.range.upperBound + 1)
        for value in folded { lookup[value] = true }
        self.lookup = lookup
    }

    func contains(_ value: Int) -> Bool {
        value >= 0 && value < lookup.count && lookup[value]
    }

    /// A day field's verdict on a calendar day: by its day of the month or weekday, or by a rule.
    func matches(_ date: CivilDate) -> Bool {
        if contains(kind == .dayOfWeek ? date.weekday : date.day) { return true }
        return !rules.isEmpty && rules.contains { $0.matches(date) }
    }

    /// Parses one field's text, e.g. `*/15`, `MON-FRI`, `1,15,30-31`, `L-2`, `5#3`.
    static func parse(_ text: Substring, as kind: Kind) throws(CronError) -> CronField {
        if text == "*" || text == "?" {
            guard text == "*" || kind == .dayOfMonth || kind == .dayOfWeek else {
                throw CronError.field(kind, text, "'?' is only allowed in the day-of-month and day-of-week fields")
            }
            return CronField(kind: kind, values: Set(kind.range))
        }
        var values = Set<Int>()
        var rules = Set<MonthDayRule>()
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let rule = try MonthDayRuleSyntax.rule(element, kind: kind, field: text) {
                rules.insert(rule)
            } else {
                values.formUnion(try parseElement(element, kind: kind, field: text))
            }
        }
        return CronField(kind: kind, values: values, rules: rules)
    }

    private static func parseElement(_ element: Substring, kind: Kind, field: Substring) throws(CronError) -> [Int] {
        guard !element.isEmpty else { throw CronError.field(kind, field, "has an empty list element") }
        let parts = element.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw CronError.field(kind, field, "has more than one '/' in \"\(element)\"", at: element) }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed >= 1 else {
                throw CronError.field(kind, field, "step \"\(parts[1])\" is not a whole number of at least 1", at: parts[1])
            }
            step = parsed
        }
        let base = parts[0]
        let bounds: ClosedRange<Int>
        if base == "*" {
            bounds = kind == .dayOfWeek ? 0...6 : kind.range
        } else {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw CronError.field(kind, field, "\"\(base)\" is not a value or a range", at: base) }
            let low = try value(ends[0], kind: kind, field: field)
            if ends.count == 2 {
                let high = try value(ends[1], kind: kind, field: field)
                guard low <= high else { throw CronError.field(kind, field, "range \"\(base)\" runs backwards", at: base) }
                bounds = low...high
            } else {
                // `5/15` means from 5 to the end in steps of 15; a lone value is just itself.
                // Day-of-week's end is Saturday (6), so `7/2` (Sunday as 7) starts past it: just Sunday.
                let end = kind == .dayOfWeek ? 6 : kind.range.upperBound
                bounds = parts.count == 2 ? low...max(low, end) : low...low
            }
        }
        return Array(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
    }

    static func value(_ text: Substring, kind: Kind, field: Substring) throws(CronError) -> Int {
        if let number = Int(text), text.allSatisfy(\.isNumber) {
            guard kind.range.contains(number) else {
                throw CronError.field(kind, field, "\(number) is outside \(kind.range.lowerBound)–\(kind.range.upperBound)", at: text)
            }
            return number
        }
        if let index = kind.names.firstIndex(of: text.uppercased()) {
            return index + kind.firstNamedValue
        }
        let hint = kind.names.isEmpty ? "" : " or a name such as \(kind.names[1])"
        throw CronError.field(kind, field, "\"\(text)\" is not a number\(hint)", at: text)
    }
}
