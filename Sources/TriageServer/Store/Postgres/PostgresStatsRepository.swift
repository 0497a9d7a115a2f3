import Foundation
import PostgresNIO
import TriageCron

struct PostgresStatsRepository: StatsRepository {
    let database: PostgresDatabase
    /// First half of the day's advisory lock key; the second is the day's number since 1970-01-01.
    static let dayLockClass: Int32 = 0x7472_6961  // "tria"

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
            let counts = try await connection.query(PostgresQuery(StoreSQL.Stats.windowCounts, start, start, end), logger: logger)
                .first().map(StoreRows.dayCounts) ?? .zero
            try await connection.query(
                PostgresQuery(StoreSQL.Stats.upsertDay, date.description, counts.created, counts.resolved, counts.comments, now), logger: logger
            )
            return .aggregated(DailyStats(date: date, counts: counts, aggregatedAt: at))
        }
    }

    func counts(in window: DayWindow, from: Date) async throws(RepositoryError) -> DayCounts {
        let counts = PostgresPrepared.WindowCounts(
            dayStart: StoreTime.milliseconds(window.start), from: StoreTime.milliseconds(from), end: StoreTime.milliseconds(window.end)
        )
        return try await database.execute(counts) { rows in try rows.first.map(StoreRows.dayCounts) ?? .zero }
    }

    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] {
        try await database.query(PostgresQuery(StoreSQL.Stats.days, from.description, to.description)) { rows in
            try await rows.rows().compactMap(StoreRows.dailyStats)
        }
    }

    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate> {
        try await database.query(PostgresQuery(StoreSQL.Stats.dayDates, from.description, to.description)) { rows in
            Set(try await rows.rows().compactMap { CivilDate(try $0.string("date")) })
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
        try await database.query(PostgresQuery(StoreSQL.Stats.releaseLease, job, holder)) { rows in _ = try await rows.collect() }
    }

    func takeOverLease(job: String, from previous: String, to holder: String, until: Date) async throws(RepositoryError) -> Bool {
        let query = PostgresQuery(StoreSQL.Stats.takeOverLease, holder, StoreTime.milliseconds(until), job, previous)
        return try await database.query(query) { rows in try await rows.collect().count == 1 }
    }

    func updateRun(_ run: BatchRun) async throws(RepositoryError) {
        let query = PostgresQuery(StoreSQL.Stats.updateRun, run.durationSeconds, run.outcome.rawValue, run.error, run.rowsWritten, run.id)
        try await database.query(query) { rows in _ = try await rows.collect() }
    }

    func closeAbandonedRuns(job: String, reason: String) async throws(RepositoryError) -> Int {
        let query = PostgresQuery(StoreSQL.Stats.closeAbandonedRuns, RunOutcome.interrupted.rawValue, reason, RunOutcome.running.rawValue, job)
        return try await database.query(query) { rows in try await rows.collect().count }
    }

    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun {
        let insert = PostgresQuery(
            StoreSQL.Stats.insertRun, job, run.trigger.rawValue, run.from.description, run.to.description, StoreTime.milliseconds(run.startedAt),
            run.durationSeconds, run.outcome.rawValue, run.error, run.rowsWritten, run.instance
        )
        let id = try await database.query(insert) { rows in try await rows.first()?.int64("id") }
        guard let id else { throw .unavailable("insert returned nothing") }
        var recorded = run
        recorded.id = id
        return recorded
    }

    func runs(job: String, limit: Int) async throws(RepositoryError) -> [BatchRun] {
        try await database.query(PostgresQuery(StoreSQL.Stats.runs, job, limit)) { rows in try await rows.rows().compactMap(StoreRows.batchRun) }
    }

    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int {
        try await database.query(PostgresQuery(StoreSQL.Stats.pruneRuns, StoreTime.milliseconds(cutoff))) { rows in try await rows.collect().count }
    }
}
