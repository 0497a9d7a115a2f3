import Foundation
import GRDB

struct SQLiteStatsRepository: StatsRepository {
    let pool: DatabasePool

    static func stats(_ row: Row) -> DailyStats? {
        guard let date = CivilDate(row["date"] as String) else { return nil }
        return DailyStats(
            date: date, createdCount: row["created_count"], resolvedCount: row["resolved_count"],
            commentCount: row["comment_count"], aggregatedAt: row.date("aggregated_at")
        )
    }

    /// SQLite has one writer at a time, and the write transaction is the day's lock: never `.heldBy`.
    func aggregate(_ window: DayWindow, at: Date) async throws(RepositoryError) -> DayAggregation {
        let start = StoreTime.milliseconds(window.start)
        let end = StoreTime.milliseconds(window.end)
        let now = StoreTime.milliseconds(at)
        let date = window.date
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                let created = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM issues WHERE created_at >= ? AND created_at < ?", arguments: [start, end]
                ) ?? 0
                let comments = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM comments WHERE created_at >= ? AND created_at < ?", arguments: [start, end]
                ) ?? 0
                // Entering RESOLVED or CLOSED, read from the history: a later edit never moves it,
                // and RESOLVED then CLOSED on one day is one issue.
                let resolved = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT issue_id) FROM issue_status_events
                        WHERE at >= ? AND at < ? AND to_status IN ('RESOLVED', 'CLOSED')
                        """,
                    arguments: [start, end]
                ) ?? 0
                try db.execute(
                    sql: """
                        INSERT INTO daily_stats (date, created_count, resolved_count, comment_count, aggregated_at)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(date) DO UPDATE SET created_count = excluded.created_count,
                            resolved_count = excluded.resolved_count, comment_count = excluded.comment_count,
                            aggregated_at = excluded.aggregated_at
                        """,
                    arguments: [date.description, created, resolved, comments, now]
                )
                return .aggregated(DailyStats(date: date, createdCount: created, resolvedCount: resolved, commentCount: comments, aggregatedAt: at))
            }
        }
    }

    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM daily_stats WHERE date >= ? AND date <= ? ORDER BY date",
                    arguments: [from.description, to.description]
                ).compactMap(Self.stats)
            }
        }
    }

    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate> {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                Set(try String.fetchAll(
                    db, sql: "SELECT date FROM daily_stats WHERE date >= ? AND date <= ?", arguments: [from.description, to.description]
                ).compactMap { CivilDate($0) })
            }
        }
    }

    func acquireLease(job: String, holder: String, now: Date, until: Date) async throws(RepositoryError) -> LeaseResult {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                if let current = try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM batch_leases WHERE job = ?", arguments: [job]),
                   current["holder"] as String != holder,
                   current["expires_at"] as Int64 > StoreTime.milliseconds(now)
                {
                    return .heldBy(current["holder"])
                }
                try db.execute(
                    sql: """
                        INSERT INTO batch_leases (job, holder, expires_at) VALUES (?, ?, ?)
                        ON CONFLICT(job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                        """,
                    arguments: [job, holder, StoreTime.milliseconds(until)]
                )
                return .acquired
            }
        }
    }

    func releaseLease(job: String, holder: String) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM batch_leases WHERE job = ? AND holder = ?", arguments: [job, holder])
            }
        }
    }

    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO batch_runs (job, trigger, from_date, to_date, started_at, duration_seconds, outcome, error, rows_written, instance)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        job, run.trigger.rawValue, run.from.description, run.to.description, StoreTime.milliseconds(run.startedAt),
                        run.durationSeconds, run.outcome.rawValue, run.error, run.rowsWritten, run.instance,
                    ]
                )
                var recorded = run
                recorded.id = db.lastInsertedRowID
                return recorded
            }
        }
    }

    func runs(limit: Int) async throws(RepositoryError) -> [BatchRun] {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM batch_runs ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit]).compactMap { row in
                    guard let from = CivilDate(row["from_date"] as String), let to = CivilDate(row["to_date"] as String),
                          let trigger = BatchTrigger(rawValue: row["trigger"]), let outcome = RunOutcome(rawValue: row["outcome"])
                    else { return nil }
                    return BatchRun(
                        id: row["id"], trigger: trigger, from: from, to: to, startedAt: row.date("started_at"),
                        durationSeconds: row["duration_seconds"], outcome: outcome, error: row["error"],
                        rowsWritten: row["rows_written"], instance: row["instance"]
                    )
                }
            }
        }
    }

    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM batch_runs WHERE started_at < ?", arguments: [StoreTime.milliseconds(cutoff)])
                return db.changesCount
            }
        }
    }
}
