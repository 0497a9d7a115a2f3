import Foundation
import PostgresNIO

struct PostgresStatsRepository: StatsRepository {
    let database: PostgresDatabase
    /// First half of the day's advisory lock key; the second is the day's number since 1970-01-01.
    static let dayLockClass: Int32 = 0x7472_6961  // "tria"

    static func stats(_ row: PostgresRandomAccessRow) throws -> DailyStats? {
        guard let date = CivilDate(try row.value("date", as: String.self)) else { return nil }
        return DailyStats(
            date: date, createdCount: try row.value("created_count", as: Int.self), resolvedCount: try row.value("resolved_count", as: Int.self),
            commentCount: try row.value("comment_count", as: Int.self), aggregatedAt: try row.date("aggregated_at")
        )
    }

    func aggregate(_ window: DayWindow, at: Date) async throws(RepositoryError) -> DayAggregation {
        let start = StoreTime.milliseconds(window.start)
        let end = StoreTime.milliseconds(window.end)
        let now = StoreTime.milliseconds(at)
        let date = window.date
        let dayNumber = Int32(clamping: date.daysSinceEpoch)
        return try await database.transaction { connection, logger in
            // Held until this transaction ends, so a crashed holder frees the day at once.
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.dayLockClass), \(dayNumber)) AS locked", logger: logger
            ).first()?.value("locked", as: Bool.self) ?? false
            guard locked else {
                let holder = try await connection.query(
                    """
                    SELECT a.application_name AS holder FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                        AND l.classid::bigint = \(Int64(Self.dayLockClass)) AND l.objid::bigint = \(Int64(dayNumber))
                    """,
                    logger: logger
                ).first()?.value("holder", as: String.self)
                return DayAggregation.heldBy(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "another instance")
            }
            func count(_ query: PostgresQuery) async throws -> Int {
                try await connection.query(query, logger: logger).first()?.value("n", as: Int.self) ?? 0
            }
            let created = try await count("SELECT COUNT(*) AS n FROM issues WHERE created_at >= \(start) AND created_at < \(end)")
            let comments = try await count("SELECT COUNT(*) AS n FROM comments WHERE created_at >= \(start) AND created_at < \(end)")
            // Entering RESOLVED or CLOSED, read from the history: a later edit never moves it,
            // and RESOLVED then CLOSED on one day is one issue.
            let resolved = try await count(
                """
                SELECT COUNT(DISTINCT issue_id) AS n FROM issue_status_events
                WHERE to_status IN ('RESOLVED', 'CLOSED') AND at >= \(start) AND at < \(end)
                """
            )
            try await connection.query(
                """
                INSERT INTO daily_stats (date, created_count, resolved_count, comment_count, aggregated_at)
                VALUES (\(date.description), \(created), \(resolved), \(comments), \(now))
                ON CONFLICT (date) DO UPDATE SET created_count = excluded.created_count,
                    resolved_count = excluded.resolved_count, comment_count = excluded.comment_count,
                    aggregated_at = excluded.aggregated_at
                """,
                logger: logger
            )
            return .aggregated(DailyStats(date: date, createdCount: created, resolvedCount: resolved, commentCount: comments, aggregatedAt: at))
        }
    }

    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] {
        try await database.query(
            "SELECT * FROM daily_stats WHERE date >= \(from.description) AND date <= \(to.description) ORDER BY date"
        ) { rows in try await rows.rows().compactMap(Self.stats) }
    }

    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate> {
        try await database.query("SELECT date FROM daily_stats WHERE date >= \(from.description) AND date <= \(to.description)") { rows in
            Set(try await rows.rows().compactMap { CivilDate(try $0.value("date", as: String.self)) })
        }
    }

    func acquireLease(job: String, holder: String, now: Date, until: Date) async throws(RepositoryError) -> LeaseResult {
        // One statement decides atomically: it takes a free or expired lease (or renews our own)
        // and otherwise returns nothing, after which we read who holds it.
        let nowMs = StoreTime.milliseconds(now)
        let untilMs = StoreTime.milliseconds(until)
        return try await database.transaction { connection, logger in
            let taken = try await connection.query(
                """
                INSERT INTO batch_leases (job, holder, expires_at) VALUES (\(job), \(holder), \(untilMs))
                ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE batch_leases.holder = excluded.holder OR batch_leases.expires_at <= \(nowMs)
                RETURNING holder
                """,
                logger: logger
            ).first()
            if taken != nil { return LeaseResult.acquired }
            let current = try await connection.query("SELECT holder FROM batch_leases WHERE job = \(job)", logger: logger).first()
            return .heldBy(try current?.value("holder", as: String.self) ?? "another instance")
        }
    }

    func releaseLease(job: String, holder: String) async throws(RepositoryError) {
        try await database.query("DELETE FROM batch_leases WHERE job = \(job) AND holder = \(holder)") { rows in _ = try await rows.collect() }
    }

    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun {
        let id = try await database.query(
            """
            INSERT INTO batch_runs (job, trigger, from_date, to_date, started_at, duration_seconds, outcome, error, rows_written, instance)
            VALUES (\(job), \(run.trigger.rawValue), \(run.from.description), \(run.to.description),
                \(StoreTime.milliseconds(run.startedAt)), \(run.durationSeconds), \(run.outcome.rawValue), \(run.error),
                \(run.rowsWritten), \(run.instance))
            RETURNING id
            """
        ) { rows in try await rows.first()?.value("id", as: Int64.self) }
        guard let id else { throw .unavailable("insert returned nothing") }
        var recorded = run
        recorded.id = id
        return recorded
    }

    func runs(limit: Int) async throws(RepositoryError) -> [BatchRun] {
        try await database.query("SELECT * FROM batch_runs ORDER BY started_at DESC, id DESC LIMIT \(limit)") { rows in
            try await rows.rows().compactMap { row in
                guard let from = CivilDate(try row.value("from_date", as: String.self)), let to = CivilDate(try row.value("to_date", as: String.self)),
                      let trigger = BatchTrigger(rawValue: try row.value("trigger")), let outcome = RunOutcome(rawValue: try row.value("outcome"))
                else { return nil }
                return BatchRun(
                    id: try row.value("id"), trigger: trigger, from: from, to: to, startedAt: try row.date("started_at"),
                    durationSeconds: try row.value("duration_seconds"), outcome: outcome, error: try row.value("error", as: String?.self),
                    rowsWritten: try row.value("rows_written", as: Int.self), instance: try row.value("instance")
                )
            }
        }
    }

    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int {
        try await database.query("DELETE FROM batch_runs WHERE started_at < \(StoreTime.milliseconds(cutoff)) RETURNING id") { rows in
            try await rows.collect().count
        }
    }
}
