import Foundation
import GRDB

/// Applies `SchemaMigrations` to a SQLite file, recording each in
/// `triage_migrations` (id, applied_at) exactly as the PostgreSQL store does,
/// all pending ones in one transaction. A file from Triage 0.1.0 is first
/// brought to the same schema in place (`SQLiteLegacyUpgrade`).
enum SQLiteMigrator {
    /// The ids applied now, in order; throws `newerSchema` for ids it does not know.
    static func migrate(_ writer: some DatabaseWriter, location: String, now: Date = Date()) throws -> [String] {
        try writer.barrierWriteWithoutTransaction { db in
            // Renaming columns needs foreign keys off (SQLite ignores the pragma inside a
            // transaction); they are checked before the transaction commits, and turned back
            // on for this connection whatever happened.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let outcome = Result { () throws -> [String] in
                var applied: [String] = []
                try db.inTransaction {
                    applied = try apply(db, location: location, now: now)
                    return .commit
                }
                return applied
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            return try outcome.get()
        }
    }

    private static func apply(_ db: Database, location: String, now: Date) throws -> [String] {
        var applied = try SQLiteLegacyUpgrade.run(db, location: location, now: now)
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS triage_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let recorded = Set(try String.fetchAll(db, sql: "SELECT id FROM triage_migrations"))
        let unknown = recorded.subtracting(SchemaMigrations.all.map(\.id)).sorted()
        guard unknown.isEmpty else { throw StoreError.newerSchema(location: location, unknownMigrations: unknown) }
        for migration in SchemaMigrations.all where !recorded.contains(migration.id) {
            for statement in migration.statements(for: .sqlite) {
                try db.execute(sql: statement)
            }
            try db.execute(
                sql: "INSERT INTO triage_migrations (id, applied_at) VALUES (?, ?)", arguments: [migration.id, StoreTime.milliseconds(now)]
            )
            applied.append(migration.id)
        }
        let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
        guard violations.isEmpty else {
            throw StoreError.migrationFailed(location: location, reason: "foreign keys broken after migrating: \(violations.prefix(3))")
        }
        return applied
    }

    /// The last migration applied, or "none".
    static func version(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT id FROM triage_migrations ORDER BY id DESC LIMIT 1") ?? "none"
    }
}
