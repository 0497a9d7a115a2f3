/// Text that came from outside (a client, an upstream, a database server) made
/// safe for a line-based channel: a log line, a journal field, a `STATUS=`
/// notification (where a newline would start a new notify command).
///
/// Checked per Unicode scalar, never per Character: `"\r\n"` is one Character,
/// which a Character comparison with `"\n"` lets through.
enum SingleLine {
    /// How `scalar` is written out, or nil when it can stand as it is: every
    /// scalar that ends a line (CR, LF, VT, FF, NEL, U+2028, U+2029) and every
    /// other control character gets an escape.
    static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{85}", "\u{2028}", "\u{2029}": return hex(scalar)
        default: return scalar.properties.generalCategory == .control ? hex(scalar) : nil
        }
    }

    /// `text` with every scalar `escape` names replaced by its escape.
    static func make(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { escape($0) != nil }) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let escaped = escape(scalar) { result += escaped } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
}
