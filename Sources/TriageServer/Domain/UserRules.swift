/// The rules about accounts that hold whatever store keeps them; each store
/// asks these inside its own transaction.
enum UserRules {
    /// Someone must always be able to change roles: the last enabled ADMIN cannot be demoted.
    /// `admins` is the number of enabled ADMINs, counted (and locked) in the same transaction.
    static func checkRoleChange(of user: User, to role: Role, admins: Int) throws(RepositoryError) {
        if user.role == .admin && !user.isDisabled && role != .admin && admins <= 1 {
            throw .conflict("user \(user.id) is the last ADMIN; promote another user first")
        }
    }

    /// The same rule for disabling: a disabled ADMIN can do nothing.
    static func checkDisable(of user: User, admins: Int) throws(RepositoryError) {
        if user.role == .admin && !user.isDisabled && admins <= 1 {
            throw .conflict("user \(user.id) is the last enabled ADMIN; promote or enable another ADMIN first")
        }
    }

    /// What a second account with an existing name gets (the store's unique index decides a race).
    static func nameTaken(_ username: String) -> RepositoryError {
        .conflict("username \"\(username)\" is already taken")
    }
}
