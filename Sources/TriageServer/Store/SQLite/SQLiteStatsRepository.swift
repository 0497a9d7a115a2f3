import Foundation
import GRDB

struct SQLiteStatsRepository: StatsRepository {
    let pool: DatabasePool
    static let job = "daily-stats"

    static func stats(_ row: Row) -> DailyStats? {
        guard let date = CivilDate(row["date"] as String) else { return nil }
        return DailyStats(
            date: date, createdCount: row["createdCount"], resolvedCount: row["resolvedCount"],
            commentCount: row["commentCount"], aggregatedAt: row.date("aggregatedAt")
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
                    db, sql: "SELECT COUNT(*) FROM issues WHERE createdAt >= ? AND createdAt < ?", arguments: [start, end]
                ) ?? 0
                let comments = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM comments WHERE createdAt >= ? AND createdAt < ?", arguments: [start, end]
                ) ?? 0
                // Entering RESOLVED or CLOSED, read from the history: a later edit never moves it,
                // and RESOLVED then CLOSED on one day is one issue.
                let resolved = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT issueId) FROM issue_status_events
                        WHERE at >= ? AND at < ? AND toStatus IN ('RESOLVED', 'CLOSED')
                        """,
                    arguments: [start, end]
                ) ?? 0
                try db.execute(
                    sql: """
                        INSERT INTO daily_stats (date, createdCount, resolvedCount, commentCount, aggregatedAt)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(date) DO UPDATE SET createdCount = excluded.createdCount,
                            resolvedCount = excluded.resolvedCount, commentCount = excluded.commentCount,
                            aggregatedAt = excluded.aggregatedAt
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
                if let current = try Row.fetchOne(db, sql: "SELECT holder, expiresAt FROM batch_leases WHERE job = ?", arguments: [job]),
                   current["holder"] as String != holder,
                   current["expiresAt"] as Int64 > StoreTime.milliseconds(now)
                {
                    return .heldBy(current["holder"])
                }
                try db.execute(
                    sql: """
                        INSERT INTO batch_leases (job, holder, expiresAt) VALUES (?, ?, ?)
                        ON CONFLICT(job) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
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

    func recordRun(_ run: BatchRun) async throws(RepositoryError) -> BatchRun {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO batch_runs (job, trigger, fromDate, toDate, startedAt, durationSeconds, outcome, error, rowsWritten, instance)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Self.job, run.trigger.rawValue, run.from.description, run.to.description, StoreTime.milliseconds(run.startedAt),
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
                try Row.fetchAll(db, sql: "SELECT * FROM batch_runs ORDER BY startedAt DESC, id DESC LIMIT ?", arguments: [limit]).compactMap { row in
                    guard let from = CivilDate(row["fromDate"] as String), let to = CivilDate(row["toDate"] as String),
                          let trigger = BatchTrigger(rawValue: row["trigger"]), let outcome = RunOutcome(rawValue: row["outcome"])
                    else { return nil }
                    return BatchRun(
                        id: row["id"], trigger: trigger, from: from, to: to, startedAt: row.date("startedAt"),
                        durationSeconds: row["durationSeconds"], outcome: outcome, error: row["error"],
                        rowsWritten: row["rowsWritten"], instance: row["instance"]
                    )
                }
            }
        }
    }

    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM batch_runs WHERE startedAt < ?", arguments: [StoreTime.milliseconds(cutoff)])
                return db.changesCount
            }
        }
    }
}
