import Foundation
import PostgresNIO

struct PostgresUserRepository: UserRepository {
    let database: PostgresDatabase

    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User {
        do {
            return try await database.query(
                PostgresQuery(StoreSQL.Users.insert, username, passwordHash, role.rawValue, StoreTime.milliseconds(at))
            ) { rows in
                guard let row = try await rows.first() else { throw RepositoryError.unavailable("insert returned nothing") }
                return try StoreRows.user(row)
            }
        } catch .conflict {
            throw UserRules.nameTaken(username)
        }
    }

    func find(id: UserID) async throws(RepositoryError) -> User? {
        try await database.query(PostgresQuery(StoreSQL.Users.byID, id)) { rows in try await rows.first().map(StoreRows.user) }
    }

    func credentials(username: String) async throws(RepositoryError) -> UserCredentials? {
        try await database.query(PostgresQuery(StoreSQL.Users.byName, username)) { rows in
            try await rows.first().map(StoreRows.credentials)
        }
    }

    func list(_ page: PageRequest<UserID>) async throws(RepositoryError) -> ListSlice<User> {
        let (rows, counted) = try await database.concurrently({ [database] () async throws(RepositoryError) in
            try await database.query(PostgresQuery(ListSQL.userPage(page, .postgres))) { rows in try await rows.rows().map(StoreRows.user) }
        }, { () async throws(RepositoryError) in
            try await database.query(PostgresQuery(ListSQL.userCount(.postgres))) { rows in try await rows.first()?.int("n") ?? 0 }
        })
        return ListSlice(rows: rows, size: page.size, total: .bounded(counted: counted))
    }

    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User {
        try await database.transaction { connection, logger in
            let admins = try await Self.lockEnabledAdmins(connection, logger: logger)
            guard let current = try await connection.query("SELECT * FROM users WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(StoreRows.user)
            else { throw RepositoryError.notFound(entity: "user", id: id) }
            try UserRules.checkRoleChange(of: current, to: role, admins: admins)
            try await connection.query(PostgresQuery(StoreSQL.Users.setRole, role.rawValue, id), logger: logger)
            var updated = current
            updated.role = role
            return updated
        }
    }

    func count(role: Role) async throws(RepositoryError) -> Int {
        try await database.query(PostgresQuery(StoreSQL.Users.countWithRole, role.rawValue)) { rows in
            try await rows.first()?.int("n") ?? 0
        }
    }

    func all() async throws(RepositoryError) -> [User] {
        try await database.query(PostgresQuery(StoreSQL.Users.all)) { rows in try await rows.rows().map(StoreRows.user) }
    }

    func setPassword(id: UserID, passwordHash: String, at: Date) async throws(RepositoryError) -> User {
        try await database.transaction { connection, logger in
            try await connection.query(PostgresQuery(StoreSQL.Users.setPassword, passwordHash, StoreTime.milliseconds(at), id), logger: logger)
            guard let user = try await connection.query(PostgresQuery(StoreSQL.Users.byID, id), logger: logger).first().map(StoreRows.user) else {
                throw RepositoryError.notFound(entity: "user", id: id)
            }
            return user
        }
    }

    func setDisabled(id: UserID, _ disabled: Bool, at: Date) async throws(RepositoryError) -> User {
        try await database.transaction { connection, logger in
            let admins = disabled ? try await Self.lockEnabledAdmins(connection, logger: logger) : 0
            guard let current = try await connection.query("SELECT * FROM users WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(StoreRows.user)
            else { throw RepositoryError.notFound(entity: "user", id: id) }
            if disabled {
                guard !current.isDisabled else { return current }
                try UserRules.checkDisable(of: current, admins: admins)
                try await connection.query(PostgresQuery(StoreSQL.Users.disable, StoreTime.milliseconds(at), id), logger: logger)
            } else {
                try await connection.query(PostgresQuery(StoreSQL.Users.enable, id), logger: logger)
            }
            return try await connection.query(PostgresQuery(StoreSQL.Users.byID, id), logger: logger).first().map(StoreRows.user) ?? current
        }
    }

    /// Locks the enabled ADMINs, in id order, and counts them: two demotions or
    /// disablings at once wait for each other instead of both leaving the other ADMIN last.
    private static func lockEnabledAdmins(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query(PostgresQuery(StoreSQL.Users.lockEnabledAdmins), logger: logger).rows().count
    }
}
