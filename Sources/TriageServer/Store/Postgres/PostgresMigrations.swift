import Foundation
import Logging
import PostgresNIO

/// Versioned, forward-only schema of the PostgreSQL store, the same tables as
/// SQLite's (snake_case names, BIGINT millisecond times). Append migrations;
/// never edit one that has shipped.
enum PostgresMigrations {
    struct Migration: Sendable {
        let id: String
        /// Statements separated by semicolons (none inside literals or comments):
        /// PostgresNIO speaks the extended protocol, one statement per query.
        let sql: String

        var statements: [String] {
            sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { statement in
                statement.split(separator: "\n").contains { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            }
        }
    }

    /// Serialises instances that start together: the first migrates, the others
    /// wait on the lock and then find nothing left to do.
    static let advisoryLockKey: Int64 = 0x7472_6961_6765  // "triage"

    static let all: [Migration] = [
        Migration(id: "0001-tracker-core", sql: """
            CREATE TABLE users (
                id BIGSERIAL PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('ADMIN', 'MEMBER', 'VIEWER')),
                created_at BIGINT NOT NULL
            );
            CREATE TABLE issues (
                id BIGSERIAL PRIMARY KEY,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED')),
                priority TEXT NOT NULL CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
                reporter_id BIGINT NOT NULL REFERENCES users(id),
                assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
                view_count BIGINT NOT NULL DEFAULT 0 CHECK (view_count >= 0),
                comment_count BIGINT NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            -- Covers the popular query's ranking (an index-only scan of a week: 4 ms -> 1.8 ms at
            -- 1 M issues, bench/postgres.py) and the daily created count.
            CREATE INDEX issues_popularity ON issues (created_at) INCLUDE (view_count, comment_count, id);
            CREATE INDEX issues_status ON issues (status);
            CREATE INDEX issues_assignee_id ON issues (assignee_id);
            CREATE INDEX issues_reporter_id ON issues (reporter_id);
            CREATE TABLE comments (
                id BIGSERIAL PRIMARY KEY,
                issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
                author_id BIGINT NOT NULL REFERENCES users(id),
                content TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX comments_issue_id ON comments (issue_id, id);
            CREATE INDEX comments_created_at ON comments (created_at);
            CREATE TABLE issue_status_events (
                id BIGSERIAL PRIMARY KEY,
                issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
                from_status TEXT,
                to_status TEXT NOT NULL,
                at BIGINT NOT NULL,
                actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL
            );
            -- The daily resolved count seeks RESOLVED and CLOSED by time from the index alone.
            CREATE INDEX issue_status_events_resolution ON issue_status_events (to_status, at, issue_id);
            CREATE INDEX issue_status_events_issue_id ON issue_status_events (issue_id);
            """),
        Migration(id: "0002-daily-stats", sql: """
            CREATE TABLE daily_stats (
                date TEXT PRIMARY KEY,
                created_count BIGINT NOT NULL,
                resolved_count BIGINT NOT NULL,
                comment_count BIGINT NOT NULL,
                aggregated_at BIGINT NOT NULL
            );
            CREATE TABLE batch_runs (
                id BIGSERIAL PRIMARY KEY,
                job TEXT NOT NULL,
                trigger TEXT NOT NULL,
                from_date TEXT NOT NULL,
                to_date TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                duration_seconds DOUBLE PRECISION NOT NULL,
                outcome TEXT NOT NULL,
                error TEXT,
                rows_written BIGINT NOT NULL,
                instance TEXT NOT NULL
            );
            CREATE INDEX batch_runs_started_at ON batch_runs (started_at);
            CREATE TABLE batch_leases (
                job TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            );
            CREATE TABLE external_snapshots (
                url TEXT PRIMARY KEY,
                body BYTEA NOT NULL,
                fetched_at BIGINT NOT NULL
            );
            """),
    ]

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
            let unknown = applied.subtracting(all.map(\.id)).sorted()
            guard unknown.isEmpty else { throw StoreError.newerSchema(location: location, unknownMigrations: unknown) }
            var pending: [String] = []
            for migration in all where !applied.contains(migration.id) {
                for statement in migration.statements {
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
