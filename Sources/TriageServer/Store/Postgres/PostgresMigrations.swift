import Foundation
import Logging
import PostgresNIO

/// Applies `SchemaMigrations` to a PostgreSQL database, recording each in
/// `triage_migrations` as the SQLite store does.
enum PostgresMigrations {
    /// Serialises instances that start together: the first migrates, the others
    /// wait on the lock and then find nothing left to do.
    static let advisoryLockKey: Int64 = 0x7472_6961_6765  // "triage"

    /// Applies what is missing, under the advisory lock, in one transaction (DDL
    /// is transactional here). Throws `newerSchema` for migrations it does not know.
    static func migrate(_ connection: PostgresConnection, location: String, logger: Logger) async throws -> [String] {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS triage_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: logger
            )
            var applied: Set<String> = []
            for try await id in try await connection.query("SELECT id FROM triage_migrations", logger: logger).decode(String.self) {
                applied.insert(id)
            }
            let unknown = applied.subtracting(SchemaMigrations.all.map(\.id)).sorted()
            guard unknown.isEmpty else { throw StoreError.newerSchema(location: location, unknownMigrations: unknown) }
            var pending: [String] = []
            for migration in SchemaMigrations.all where !applied.contains(migration.id) {
                for statement in migration.statements(for: .postgres) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO triage_migrations (id, applied_at) VALUES (\(migration.id), \(StoreTime.milliseconds(.now)))",
                    logger: logger
                )
                pending.append(migration.id)
            }
            return pending
        }
    }
}
