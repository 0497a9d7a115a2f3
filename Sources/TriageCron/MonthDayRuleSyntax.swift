/// Reads Quartz's day forms out of a day field's list element; nil for an ordinary element.
enum MonthDayRuleSyntax {
    static func rule(_ element: Substring, kind: CronField.Kind, field: Substring) throws(CronError) -> MonthDayRule? {
        switch kind {
        case .dayOfMonth: return try dayOfMonth(element, field: field)
        case .dayOfWeek: return try dayOfWeek(element, field: field)
        default: return nil
        }
    }

    private static func dayOfMonth(_ element: Substring, field: Substring) throws(CronError) -> MonthDayRule? {
        let upper = element.uppercased()
        guard upper.contains("L") || upper.contains("W") else { return nil }
        if upper == "L" { return .lastDay(offset: 0) }
        if upper == "LW" { return .lastWeekday }
        if upper.hasPrefix("L-") {
            let digits = element.dropFirst(2)
            guard let offset = number(digits), offset <= MonthDayRule.largestOffset else {
                throw CronError.field(.dayOfMonth, field, "\"\(element)\": L-n needs n from 0 to \(MonthDayRule.largestOffset)", at: element)
            }
            return .lastDay(offset: offset)
        }
        if upper.hasSuffix("W") {
            guard let day = number(element.dropLast()), CronField.Kind.dayOfMonth.range.contains(day) else {
                throw CronError.field(.dayOfMonth, field, "\"\(element)\": nW needs a day of the month from 1 to 31 before W", at: element)
            }
            return .nearestWeekday(to: day)
        }
        throw CronError.field(.dayOfMonth, field, "\"\(element)\" is not a day, L, L-n, LW or nW", at: element)
    }

    private static func dayOfWeek(_ element: Substring, field: Substring) throws(CronError) -> MonthDayRule? {
        if let hash = element.firstIndex(of: "#") {
            let day = try weekday(element[..<hash], element: element, field: field)
            guard let ordinal = number(element[element.index(after: hash)...]), (1...MonthDayRule.largestOrdinal).contains(ordinal) else {
                throw CronError.field(.dayOfWeek, field, "\"\(element)\": d#n needs n from 1 to \(MonthDayRule.largestOrdinal)", at: element)
            }
            return .nth(weekday: day, ordinal: ordinal)
        }
        guard element.uppercased().hasSuffix("L") else { return nil }
        guard element.count > 1 else {
            throw CronError.field(.dayOfWeek, field, "\"L\" needs a day before it, e.g. 5L or FRIL (the last Friday)", at: element)
        }
        return .last(weekday: try weekday(element.dropLast(), element: element, field: field))
    }

    private static func weekday(_ text: Substring, element: Substring, field: Substring) throws(CronError) -> Int {
        guard !text.isEmpty else {
            throw CronError.field(.dayOfWeek, field, "\"\(element)\" needs a day of the week first", at: element)
        }
        return try CronField.value(text, kind: .dayOfWeek, field: field) % 7
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
