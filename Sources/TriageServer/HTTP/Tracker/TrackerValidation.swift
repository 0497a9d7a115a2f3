import Foundation

/// The limits of DESIGN §3 and issue #3, in one place.
enum TrackerValidation {
    static let maximumTitleLength = 200
    static let maximumTextBytes = 64 * 1024
    /// bcrypt reads only the first 72 bytes; a longer password would be silently truncated.
    static let maximumPasswordBytes = 72
    static let minimumPasswordLength = 8

    static let usernameRule = "must be 3–32 characters of a–z, 0–9, '.', '_' or '-'"

    /// Usernames are case-insensitive: stored and compared in lower case.
    static func username(_ raw: String) throws -> String {
        // Every allowed character is one byte: a longer input is refused before any work on it.
        guard raw.utf8.count <= 32 else { throw HTTPProblem.invalid("username", usernameRule) }
        let name = raw.lowercased()
        guard (3...32).contains(name.count),
              name.unicodeScalars.allSatisfy({ CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-").contains($0) })
        else {
            throw HTTPProblem.invalid("username", usernameRule)
        }
        return name
    }

    static func password(_ password: String) throws -> String {
        guard password.count >= minimumPasswordLength else {
            throw HTTPProblem.invalid("password", "must have at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw HTTPProblem.invalid("password", "must be at most \(maximumPasswordBytes) bytes")
        }
        return password
    }

    static func title(_ title: String) throws -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw HTTPProblem.invalid("title", "must not be empty") }
        guard trimmed.count <= maximumTitleLength else {
            throw HTTPProblem.invalid("title", "must be at most \(maximumTitleLength) characters")
        }
        return trimmed
    }

    static func text(_ text: String, field: String, allowEmpty: Bool) throws -> String {
        if !allowEmpty && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw HTTPProblem.invalid(field, "must not be empty")
        }
        guard text.utf8.count <= maximumTextBytes else {
            throw HTTPProblem.invalid(field, "must be at most 64 KiB")
        }
        return text
    }
}
