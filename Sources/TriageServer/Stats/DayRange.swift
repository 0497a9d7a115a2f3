import Foundation
import TriageCron

/// Validation shared by the manual run and the public stats route.
enum DayRange {
    static let maximumDays = 366

    enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed(field: String, value: String)
        case missing(field: String)
        case reversed
        case tooLong(days: Int)
        case inTheFuture(CivilDate)
        case ambiguous(field: String)

        var description: String {
            switch self {
            case .malformed(let field, let value): return "\(field): \"\(value)\" is not a YYYY-MM-DD date"
            case .missing(let field): return "\(field): is required (YYYY-MM-DD)"
            case .reversed: return "to: must not be before from"
            case .tooLong(let days): return "to: the range spans \(days) days; at most \(maximumDays) are allowed"
            case .inTheFuture(let date): return "to: \(date) is in the future"
            case .ambiguous(let field): return "\(field): give either \(field), or from and to, not both"
            }
        }
    }

    static func date(_ text: String?, field: String) throws(Problem) -> CivilDate {
        guard let text else { throw .missing(field: field) }
        guard let date = CivilDate(text) else { throw .malformed(field: field, value: text) }
        return date
    }

    /// `from` and `to` as a request gives them, parsed and checked against the limits.
    static func range(from: String?, to: String?) throws(Problem) -> (from: CivilDate, to: CivilDate) {
        let first = try date(from, field: "from")
        let last = try date(to, field: "to")
        _ = try days(from: first, to: last)
        return (first, last)
    }

    /// Every day from `from` to `to`, checked against the limits.
    static func days(from: CivilDate, to: CivilDate, notAfter latest: CivilDate? = nil) throws(Problem) -> [CivilDate] {
        guard from <= to else { throw .reversed }
        let count = to.daysSinceEpoch - from.daysSinceEpoch + 1
        guard count <= maximumDays else { throw .tooLong(days: count) }
        if let latest, to > latest { throw .inTheFuture(to) }
        return (0..<count).map { from.adding(days: $0) }
    }
}
