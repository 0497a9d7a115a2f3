import Foundation
import PostgresNIO

struct PostgresUserRepository: UserRepository {
    let database: PostgresDatabase

    static func user(_ row: PostgresRandomAccessRow) throws -> User {
        User(
            id: try row.value("id"), username: try row.value("username"),
            role: Role(rawValue: try row.value("role")) ?? .viewer, createdAt: try row.date("created_at")
        )
    }

    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User {
        do {
            return try await database.query(
                """
                INSERT INTO users (username, password_hash, role, created_at)
                VALUES (\(username), \(passwordHash), \(role.rawValue), \(StoreTime.milliseconds(at))) RETURNING *
                """
            ) { rows in
                guard let row = try await rows.first() else { throw RepositoryError.unavailable("insert returned nothing") }
                return try Self.user(row)
            }
        } catch .conflict {
            throw UserRules.nameTaken(username)
        }
    }

    func find(id: UserID) async throws(RepositoryError) -> User? {
        try await database.query("SELECT * FROM users WHERE id = \(id)") { rows in try await rows.first().map(Self.user) }
    }

    func credentials(username: String) async throws(RepositoryError) -> UserCredentials? {
        try await database.query("SELECT * FROM users WHERE username = \(username)") { rows in
            try await rows.first().map { row in UserCredentials(user: try Self.user(row), passwordHash: try row.value("password_hash")) }
        }
    }

    func list(_ page: PageRequest) async throws(RepositoryError) -> Page<User> {
        try await database.transaction { connection, logger in
            let total = try await connection.query("SELECT COUNT(*) AS n FROM users", logger: logger).first()?.value("n", as: Int.self) ?? 0
            let users = try await connection.query(
                "SELECT * FROM users ORDER BY id LIMIT \(page.size) OFFSET \(page.offset)", logger: logger
            ).rows().map(Self.user)
            return Page(items: users, request: page, totalItems: total)
        }
    }

    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User {
        try await database.transaction { connection, logger in
            // Lock the admins first, so two demotions at once cannot leave none.
            let admins = try await connection.query(
                "SELECT id FROM users WHERE role = 'ADMIN' ORDER BY id FOR UPDATE", logger: logger
            ).rows().count
            guard let current = try await connection.query("SELECT * FROM users WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(Self.user)
            else { throw RepositoryError.notFound(entity: "user", id: id) }
            try UserRules.checkRoleChange(of: current, to: role, admins: admins)
            try await connection.query("UPDATE users SET role = \(role.rawValue) WHERE id = \(id)", logger: logger)
            var updated = current
            updated.role = role
            return updated
        }
    }

    func count(role: Role) async throws(RepositoryError) -> Int {
        try await database.query("SELECT COUNT(*) AS n FROM users WHERE role = \(role.rawValue)") { rows in
            try await rows.first()?.value("n", as: Int.self) ?? 0
        }
    }
}
