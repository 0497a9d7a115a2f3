@testable import TriageServer

/// `database.url`: parsed or refused with a `ConfigurationError`, and neither
/// the error nor a parsed URL's safe description shows the password. What
/// counts as shown: the password's text more often than the parts that are
/// meant to be shown (the scheme, the user, everything after the last `@`, the parser's
/// own guidance) already contain it.
enum DatabaseURLFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(fuzzInput: input)
        // A SQLite path has no password, whatever characters it holds.
        guard !text.hasPrefix("sqlite://"), let parts = Parts(text) else {
            // No `user:password@` shape: nothing to hide; the parser must still answer.
            _ = try? DatabaseURLParser().parse(text)
            return
        }
        let shown: String
        do throws(ConfigurationError) {
            shown = try DatabaseURLParser().parse(text).redactedDescription
        } catch {
            shown = error.description
        }
        // The redacted form is `scheme***@tail`: a password that is `@` plus the tail's start is "shown" by design.
        let meantToBeShown = [SingleLine.make(guidance[0] + "\"" + parts.scheme + "***@" + parts.tail + "\" "), parts.user] + guidance
        let allowed = parts.password.occurrences(in: meantToBeShown.joined(separator: "\n"))
        if parts.password.count >= 4, parts.password.occurrences(in: shown) > allowed {
            throw FuzzFinding("\(text.debugDescription): \(shown.debugDescription) shows the password \(parts.password.debugDescription)")
        }
    }

    /// The fixed text of the parser's messages (`names no single database; write postgres://user:pass@host:port/db`).
    private static let guidance = [
        "invalid configuration: database.url: ", "is not a postgres://user:pass@host:port/db URL",
        "names no single database; write postgres://user:pass@host:port/db", "names no user",
        "is outside 1–65535", "unknown parameter", "only sslmode is supported",
        "sslmode must be disable, prefer or require", "must start with sqlite:// or postgres://",
        "the value (not repeated: it may hold a password)",
    ]

    /// `scheme://user:password@tail`, split as a person would read it: the first `:`
    /// after `://` and the last `@`.
    private struct Parts {
        /// Up to and including `://`.
        let scheme: String
        let user: String
        let password: String
        let tail: String

        /// Scalar by scalar, for the same reasons as the parser's redaction.
        init?(_ text: String) {
            let scalars = text.unicodeScalars
            guard let scheme = scalars.firstRange(of: "://".unicodeScalars) else { return nil }
            self.scheme = String(Substring(scalars[..<scheme.upperBound]))
            let rest = scalars[scheme.upperBound...]
            guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
            user = String(Substring(rest[..<colon]))
            password = String(Substring(rest[rest.index(after: colon)..<at]))
            tail = String(Substring(rest[rest.index(after: at)...]))
        }
    }
}

extension String {
    /// Non-overlapping occurrences of `self` in `text`, scalar by scalar (Foundation's
    /// `range(of:)` mis-indexes strings holding NUL, which fuzz input is full of).
    fileprivate func occurrences(in text: String) -> Int {
        let needle = Array(unicodeScalars)
        let haystack = Array(text.unicodeScalars)
        guard !needle.isEmpty, needle.count <= haystack.count else { return 0 }
        var count = 0
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) {
                count += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return count
    }
}
