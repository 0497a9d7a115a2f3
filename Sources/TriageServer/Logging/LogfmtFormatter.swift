import Foundation
import Logging

/// Renders one log record as a logfmt line: `ts=… level=… msg="…" key=value`.
struct LogfmtFormatter: Sendable {
    func format(
        date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = "ts=\(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))"
        line += " level=\(level.rawValue)"
        line += " logger=\(Self.escape(label))"
        line += " msg=\(Self.escape(message))"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(Self.sanitizeKey(key))=\(Self.escape(Self.render(value)))"
        }
        return line
    }

    static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return "[" + array.map(render).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.keys.sorted().map { "\($0):\(render(dictionary[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Quotes a value only when logfmt requires it, escaping quotes, backslashes
    /// and whatever `SingleLine` escapes, scalar by scalar.
    static func escape(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || SingleLine.escape($0) != nil
        }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default:
                if let replacement = SingleLine.escape(scalar) { escaped += replacement } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped + "\""
    }

    private static func sanitizeKey(_ key: String) -> String {
        String(key.map { $0 == " " || $0 == "=" || $0 == "\"" ? "_" : $0 })
    }
}
