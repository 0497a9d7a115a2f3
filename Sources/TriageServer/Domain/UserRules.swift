/// The rules about accounts that hold whatever store keeps them; each store
/// asks these inside its own transaction.
enum UserRules {
    /// Someone must always be able to change roles: the last ADMIN cannot be demoted.
    /// `admins` is the number of ADMINs, counted (and locked) in the same transaction.
    static func checkRoleChange(of user: User, to role: Role, admins: Int) throws(RepositoryError) {
        if user.role == .admin && role != .admin && admins <= 1 {
            throw .conflict("user \(user.id) is the last ADMIN; promote another user first")
        }
    }

    /// What a second account with an existing name gets (the store's unique index decides a race).
    static func nameTaken(_ username: String) -> RepositoryError {
        .conflict("username \"\(username)\" is already taken")
    }
}
