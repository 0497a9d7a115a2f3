import Foundation

public typealias UserID = Int64

/// A user as the API shows it; the password hash never leaves the store layer
/// except through `UserCredentials`.
public struct User: Codable, Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var role: Role
    public var createdAt: Date
    /// When an operator disabled the account (`triagectl user disable`); nil while it may sign in.
    /// Not in the API's JSON: only the control API shows account state.
    public var disabledAt: Date?
    /// Tokens issued before this instant speak for nobody: set when the password is reset or the account disabled.
    public var tokensValidAfter: Date?

    public init(id: UserID, username: String, role: Role, createdAt: Date, disabledAt: Date? = nil, tokensValidAfter: Date? = nil) {
        self.id = id
        self.username = username
        self.role = role
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.tokensValidAfter = tokensValidAfter
    }

    enum CodingKeys: String, CodingKey {
        case id, username, role, createdAt
    }
}

extension User {
    public var isDisabled: Bool { disabledAt != nil }

    /// Whether a token issued at `issuedAt` still speaks for this user: the one rule every
    /// authenticated path (the router and the pipeline's fast path) asks.
    func accepts(tokenIssuedAt issuedAt: Date) -> Bool {
        guard disabledAt == nil else { return false }
        guard let validAfter = tokensValidAfter else { return true }
        return issuedAt >= validAfter
    }
}

/// What login needs: the user and their bcrypt hash.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String
}
