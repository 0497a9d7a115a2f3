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
            // Lock the admins first, so two demotions at once cannot leave none.
            let admins = try await connection.query(
                "SELECT id FROM users WHERE role = 'ADMIN' ORDER BY id FOR UPDATE", logger: logger
            ).rows().count
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
}
