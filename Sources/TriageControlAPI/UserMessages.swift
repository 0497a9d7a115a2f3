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
