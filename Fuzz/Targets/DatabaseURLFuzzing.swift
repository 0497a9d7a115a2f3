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
        let allowed = parts.password.occurrences(in: [parts.scheme, parts.user, parts.tail, guidance].joined(separator: "\n"))
        if parts.password.count >= 4, parts.password.occurrences(in: shown) > allowed {
            throw FuzzFinding("\(text.debugDescription): \(shown.debugDescription) shows the password \(parts.password.debugDescription)")
        }
    }

    /// What the parser's own messages say (`write postgres://user:pass@host:port/db`).
    private static let guidance = "postgres://user:pass@host:port/db sqlite://PATH only sslmode is supported disable, prefer or require"

    /// `scheme://user:password@tail`, split as a person would read it: the first `:`
    /// after `://` and the last `@`.
    private struct Parts {
        /// Up to and including `://`.
        let scheme: String
        let user: String
        let password: String
        let tail: String

        init?(_ text: String) {
            guard let scheme = text.range(of: "://") else { return nil }
            self.scheme = String(text[..<scheme.upperBound])
            let rest = text[scheme.upperBound...]
            guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
            user = String(rest[..<colon])
            password = String(rest[rest.index(after: colon)..<at])
            tail = String(rest[rest.index(after: at)...])
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
