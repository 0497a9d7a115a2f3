import Foundation

/// Comma-separated values as RFC 4180 writes them: CRLF after every record,
/// and a field quoted (its quotes doubled) when it holds a comma, a quote, CR or LF.
struct CSVText {
    private(set) var text = ""

    mutating func record(_ fields: [String]) {
        text += fields.map(Self.field).joined(separator: ",")
        text += "\r\n"
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
