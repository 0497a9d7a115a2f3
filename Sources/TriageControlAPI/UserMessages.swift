import Foundation

/// `POST /v1/users`: creates a user of any role, e.g. the first ADMIN.
public struct CreateUserRequest: Codable, Sendable, Equatable {
    public var username: String
    public var role: String
    /// nil: the daemon generates one and returns it once.
    public var password: String?

    public init(username: String, role: String, password: String?) {
        self.username = username
        self.role = role
        self.password = password
    }
}

public struct CreateUserResponse: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var role: String
    public var createdAt: Date
    /// Present only when the daemon generated the password; it is not stored anywhere else.
    public var generatedPassword: String?

    public init(id: Int64, username: String, role: String, createdAt: Date, generatedPassword: String?) {
        self.id = id
        self.username = username
        self.role = role
        self.createdAt = createdAt
        self.generatedPassword = generatedPassword
    }
}

/// `GET /v1/users`: every account with its state, which the public API does not show.
public struct UserAccount: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var role: String
    public var createdAt: Date
    public var disabled: Bool
    public var disabledAt: Date?
    /// Tokens issued before this are refused (a reset password, a disabled account).
    public var tokensValidAfter: Date?

    public init(id: Int64, username: String, role: String, createdAt: Date, disabled: Bool, disabledAt: Date?, tokensValidAfter: Date?) {
        self.id = id
        self.username = username
        self.role = role
        self.createdAt = createdAt
        self.disabled = disabled
        self.disabledAt = disabledAt
        self.tokensValidAfter = tokensValidAfter
    }
}

/// `PUT /v1/users/{name}/role`.
public struct SetRoleRequest: Codable, Sendable, Equatable {
    public var role: String

    public init(role: String) {
        self.role = role
    }
}

/// `POST /v1/users/{name}/password`: nil password means the daemon generates one and returns it once.
public struct ResetPasswordRequest: Codable, Sendable, Equatable {
    public var password: String?

    public init(password: String?) {
        self.password = password
    }
}

public struct ResetPasswordResponse: Codable, Sendable, Equatable {
    public var account: UserAccount
    public var generatedPassword: String?

    public init(account: UserAccount, generatedPassword: String?) {
        self.account = account
        self.generatedPassword = generatedPassword
    }
}
