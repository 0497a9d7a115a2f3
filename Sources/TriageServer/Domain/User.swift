import Foundation

public typealias UserID = Int64

/// A user as the API shows it; the password hash never leaves the store layer
/// except through `UserCredentials`.
public struct User: Codable, Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var role: Role
    public var createdAt: Date

    public init(id: UserID, username: String, role: Role, createdAt: Date) {
        self.id = id
        self.username = username
        self.role = role
        self.createdAt = createdAt
    }
}

/// What login needs: the user and their bcrypt hash.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String
}
