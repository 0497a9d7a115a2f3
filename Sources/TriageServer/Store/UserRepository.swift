import Foundation

public protocol UserRepository: Sendable {
    /// Throws `.conflict` when the username is taken.
    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User
    func find(id: UserID) async throws(RepositoryError) -> User?
    func credentials(username: String) async throws(RepositoryError) -> UserCredentials?
    /// Ordered by id; the total is bounded (`ListTotal.bounded`).
    func list(_ page: PageRequest<UserID>) async throws(RepositoryError) -> ListSlice<User>
    /// Throws `.notFound`; `.conflict` when it would leave no ADMIN.
    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User
    func count(role: Role) async throws(RepositoryError) -> Int
    /// Every user, by id: the operator's list.
    func all() async throws(RepositoryError) -> [User]
    /// A new password hash; tokens issued before `at` stop working. Throws `.notFound`.
    func setPassword(id: UserID, passwordHash: String, at: Date) async throws(RepositoryError) -> User
    /// Disables (tokens issued before `at` stop working; `.conflict` for the last enabled ADMIN)
    /// or enables the account. Disabling a disabled account keeps its first date. Throws `.notFound`.
    func setDisabled(id: UserID, _ disabled: Bool, at: Date) async throws(RepositoryError) -> User
}
