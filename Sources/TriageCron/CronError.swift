/// Why an expression was refused, and where in the operator's text.
public struct CronError: Error, Equatable, CustomStringConvertible, Sendable {
    public let reason: String
    /// 1-based column of the offending part in the text as written, when one part is at fault.
    public let column: Int?
    /// How many characters that part spans.
    public let width: Int

    public init(reason: String, column: Int? = nil, width: Int = 1) {
        self.reason = reason
        self.column = column
        self.width = max(1, width)
    }

    public var description: String {
        guard let column else { return reason }
        return "\(reason) (column \(column))"
    }

    /// `part` is a slice of the expression's text: its position there is the column.
    static func field(_ kind: CronField.Kind, _ field: Substring, _ problem: String, at part: Substring? = nil) -> CronError {
        let located = part ?? field
        let column = located.base.distance(from: located.base.startIndex, to: located.startIndex) + 1
        return CronError(reason: "\(kind.rawValue) field \"\(field)\" \(problem)", column: column, width: located.count)
    }
}
