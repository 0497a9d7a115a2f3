@testable import TriageServer

/// `database.url`: parsed or refused with a `ConfigurationError` that never
/// repeats the password, and a parsed URL's safe description never shows it.
enum DatabaseURLFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(fuzzInput: input)
        let password = Self.password(in: text)
        do {
            let location = try DatabaseURLParser().parse(text)
            if case .postgres(let postgres) = location, let parsed = postgres.password, parsed.count >= 4,
               location.redactedDescription.contains(parsed) {
                throw FuzzFinding("\(text.debugDescription): the redacted description \(location.redactedDescription) shows the password")
            }
        } catch let error as ConfigurationError {
            if let password, password.count >= 4, error.description.contains(password) {
                throw FuzzFinding("\(text.debugDescription): the error \(error.description.debugDescription) repeats the password")
            }
        } catch let finding as FuzzFinding {
            throw finding
        } catch {
            throw FuzzFinding("\(text.debugDescription): an error that is not a ConfigurationError: \(error)")
        }
    }

    /// What sits between the first `:` after `//` and the last `@` before the host, as a URL's password would.
    private static func password(in text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
        return String(rest[rest.index(after: colon)..<at])
    }
}
