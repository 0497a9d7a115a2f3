import Foundation
import GRDB

/// Triage 0.1.0's SQLite files spelled columns in camelCase and recorded GRDB's
/// own migration ids (0001–0005 in `grdb_migrations`). This renames every
/// column and index in place to `SchemaMigrations`' snake_case schema (rows,
/// ids and rowids untouched), records that schema's 0001 and 0002 as applied
/// and drops GRDB's table, inside the migrator's transaction: a failure leaves
/// the file as it was.
enum SQLiteLegacyUpgrade {
    /// What 0.1.0 had applied. A file with only some of them was made by a
    /// development build before the release and is refused rather than guessed at.
    static let releasedMigrations = ["0001-tracker-core", "0002-daily-stats", "0003-resolution-index", "0004-popularity-index", "0005-external-snapshot"]

    /// The shared migrations a converted file has.
    static let equivalentMigrations = ["0001-tracker-core", "0002-daily-stats"]

    static let renamedColumns: [(table: String, from: String, to: String)] = [
        ("users", "passwordHash", "password_hash"), ("users", "createdAt", "created_at"),
        ("issues", "reporterId", "reporter_id"), ("issues", "assigneeId", "assignee_id"), ("issues", "viewCount", "view_count"),
        ("issues", "commentCount", "comment_count"), ("issues", "createdAt", "created_at"), ("issues", "updatedAt", "updated_at"),
        ("comments", "issueId", "issue_id"), ("comments", "authorId", "author_id"), ("comments", "createdAt", "created_at"),
        ("comments", "updatedAt", "updated_at"),
        ("issue_status_events", "issueId", "issue_id"), ("issue_status_events", "fromStatus", "from_status"),
        ("issue_status_events", "toStatus", "to_status"), ("issue_status_events", "actorId", "actor_id"),
        ("daily_stats", "createdCount", "created_count"), ("daily_stats", "resolvedCount", "resolved_count"),
        ("daily_stats", "commentCount", "comment_count"), ("daily_stats", "aggregatedAt", "aggregated_at"),
        ("batch_runs", "fromDate", "from_date"), ("batch_runs", "toDate", "to_date"), ("batch_runs", "startedAt", "started_at"),
        ("batch_runs", "durationSeconds", "duration_seconds"), ("batch_runs", "rowsWritten", "rows_written"),
        ("batch_leases", "expiresAt", "expires_at"),
        ("external_snapshots", "fetchedAt", "fetched_at"),
    ]

    /// Indexes whose names carried a camelCase column (SQLite cannot rename an index).
    static let renamedIndexes: [(from: String, to: String, definition: String)] = [
        ("issues_assigneeId", "issues_assignee_id", "issues (assignee_id)"),
        ("issues_reporterId", "issues_reporter_id", "issues (reporter_id)"),
        ("comments_issueId", "comments_issue_id", "comments (issue_id, id)"),
        ("comments_createdAt", "comments_created_at", "comments (created_at)"),
        ("issue_status_events_issueId", "issue_status_events_issue_id", "issue_status_events (issue_id)"),
        ("batch_runs_startedAt", "batch_runs_started_at", "batch_runs (started_at)"),
    ]

    /// Converts a 0.1.0 file; returns what it recorded as applied (nothing for any other file).
    static func run(_ db: Database, location: String, now: Date) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let recorded = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        guard recorded == releasedMigrations else {
            throw StoreError.migrationFailed(
                location: location, reason: "the file records migrations \(recorded.joined(separator: ", ")); only a file made by Triage 0.1.0 (\(releasedMigrations.joined(separator: ", "))) can be upgraded in place"
            )
        }
        for column in renamedColumns {
            try db.execute(sql: "ALTER TABLE \(column.table) RENAME COLUMN \(column.from) TO \(column.to)")
        }
        for index in renamedIndexes {
            try db.execute(sql: "DROP INDEX \(index.from)")
            try db.execute(sql: "CREATE INDEX \(index.to) ON \(index.definition)")
        }
        try db.execute(sql: "CREATE TABLE triage_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
        for id in equivalentMigrations {
            try db.execute(sql: "INSERT INTO triage_migrations (id, applied_at) VALUES (?, ?)", arguments: [id, StoreTime.milliseconds(now)])
        }
        try db.execute(sql: "DROP TABLE grdb_migrations")
        return ["upgrade of a Triage 0.1.0 file to snake_case"]
    }
}
