import Foundation
import GRDB

struct SQLiteUserRepository: UserRepository {
    let database: SQLiteDatabase

    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User {
        do {
            return try await database.write { db in
                let row = try Row.fetchOne(
                    db.statement(StoreSQL.Users.insert), arguments: [username, passwordHash, role.rawValue, StoreTime.milliseconds(at)]
                )
                guard let row else { throw RepositoryError.unavailable("insert returned nothing") }
                return try StoreRows.user(row)
            }
        } catch .conflict {
            throw UserRules.nameTaken(username)
        }
    }

    func find(id: UserID) async throws(RepositoryError) -> User? {
        try database.readOneStatement { db in
            try db.statement(StoreSQL.Users.byID).mapFirstRow([id], StoreRows.user)
        }
    }

    func credentials(username: String) async throws(RepositoryError) -> UserCredentials? {
        try database.readOneStatement { db in
            try Row.fetchOne(db.statement(StoreSQL.Users.byName), arguments: [username]).map(StoreRows.credentials)
        }
    }

    func list(_ page: PageRequest<UserID>) async throws(RepositoryError) -> ListSlice<User> {
        try database.read { db in
            let rows = try db.mapRows(ListSQL.userPage(page, .sqlite), StoreRows.user)
            let counted = try db.mapRows(ListSQL.userCount(.sqlite)) { try $0.int("n") }.first ?? 0
            return ListSlice(rows: rows, size: page.size, total: .bounded(counted: counted))
        }
    }

    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User {
        try await database.write { db in
            guard let current = try db.statement(StoreSQL.Users.byID).mapFirstRow([id], StoreRows.user) else {
                throw RepositoryError.notFound(entity: "user", id: id)
            }
            // The writer holds SQLite's only write lock: no other demotion can run in between.
            let admins = try Int.fetchOne(db.statement(StoreSQL.Users.countEnabledAdmins)) ?? 0
            try UserRules.checkRoleChange(of: current, to: role, admins: admins)
            try db.statement(StoreSQL.Users.setRole).execute(arguments: [role.rawValue, id])
            var updated = current
            updated.role = role
            return updated
        }
    }

    func count(role: Role) async throws(RepositoryError) -> Int {
        try database.read { db in
            try Int.fetchOne(db.statement(StoreSQL.Users.countWithRole), arguments: [role.rawValue]) ?? 0
        }
    }

    func all() async throws(RepositoryError) -> [User] {
        try database.read { db in
            try db.statement(StoreSQL.Users.all).mapRows([], StoreRows.user)
        }
    }

    func setPassword(id: UserID, passwordHash: String, at: Date) async throws(RepositoryError) -> User {
        try await database.write { db in
            try db.statement(StoreSQL.Users.setPassword).execute(arguments: [passwordHash, StoreTime.milliseconds(at), id])
            guard let user = try db.statement(StoreSQL.Users.byID).mapFirstRow([id], StoreRows.user) else {
                throw RepositoryError.notFound(entity: "user", id: id)
            }
            return user
        }
    }

    func setDisabled(id: UserID, _ disabled: Bool, at: Date) async throws(RepositoryError) -> User {
        try await database.write { db in
            guard let current = try db.statement(StoreSQL.Users.byID).mapFirstRow([id], StoreRows.user) else {
                throw RepositoryError.notFound(entity: "user", id: id)
            }
            if disabled {
                guard !current.isDisabled else { return current }
                // The writer holds SQLite's only write lock: no other change of an ADMIN can run in between.
                try UserRules.checkDisable(of: current, admins: try Int.fetchOne(db.statement(StoreSQL.Users.countEnabledAdmins)) ?? 0)
                try db.statement(StoreSQL.Users.disable).execute(arguments: [StoreTime.milliseconds(at), id])
            } else {
                try db.statement(StoreSQL.Users.enable).execute(arguments: [id])
            }
            return try db.statement(StoreSQL.Users.byID).mapFirstRow([id], StoreRows.user) ?? current
        }
    }
}
