import Foundation
import GRDB

struct SQLiteUserRepository: UserRepository {
    let pool: DatabasePool

    static func user(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], role: Role(rawValue: row["role"]) ?? .viewer, createdAt: row.date("created_at"))
    }

    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User {
        do {
            return try await SQLiteSupport.perform {
                try await pool.write { db in
                    let row = try Row.fetchOne(
                        db,
                        sql: "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING *",
                        arguments: [username, passwordHash, role.rawValue, StoreTime.milliseconds(at)]
                    )
                    guard let row else { throw RepositoryError.unavailable("insert returned nothing") }
                    return Self.user(row)
                }
            }
        } catch .conflict {
            throw UserRules.nameTaken(username)
        }
    }

    func find(id: UserID) async throws(RepositoryError) -> User? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user)
            }
        }
    }

    func credentials(username: String) async throws(RepositoryError) -> UserCredentials? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username]).map { row in
                    UserCredentials(user: Self.user(row), passwordHash: row["password_hash"])
                }
            }
        }
    }

    func list(_ page: PageRequest) async throws(RepositoryError) -> Page<User> {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0
                let users = try Row.fetchAll(
                    db, sql: "SELECT * FROM users ORDER BY id LIMIT ? OFFSET ?", arguments: [page.size, page.offset]
                ).map(Self.user)
                return Page(items: users, request: page, totalItems: total)
            }
        }
    }

    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let current = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user) else {
                    throw RepositoryError.notFound(entity: "user", id: id)
                }
                // The writer holds SQLite's only write lock: no other demotion can run in between.
                let admins = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE role = 'ADMIN'") ?? 0
                try UserRules.checkRoleChange(of: current, to: role, admins: admins)
                try db.execute(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: [role.rawValue, id])
                var updated = current
                updated.role = role
                return updated
            }
        }
    }

    func count(role: Role) async throws(RepositoryError) -> Int {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE role = ?", arguments: [role.rawValue]) ?? 0
            }
        }
    }
}
