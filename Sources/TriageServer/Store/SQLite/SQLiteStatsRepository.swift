import Foundation
import GRDB
import TriageCron

struct SQLiteStatsRepository: StatsRepository {
    let database: SQLiteDatabase

    /// SQLite has one writer at a time: never `.heldBy`. The day is counted on a reader's
    /// snapshot and upserted in the write after it: a day before today no longer changes
    /// but by deletions, which a recount would see as this one would; the counts were
    /// also cheaper there than in the writer's transaction (bench/stats.py).
    func aggregate(_ window: DayWindow, at: Date) async throws(RepositoryError) -> DayAggregation {
        let now = StoreTime.milliseconds(at)
        let date = window.date
        let counts = try await counts(in: window, from: window.start)
        return try await database.write { db in
            try db.statement(StoreSQL.Stats.upsertDay).execute(arguments: [date.description, counts.created, counts.resolved, counts.comments, now])
            return .aggregated(DailyStats(date: date, counts: counts, aggregatedAt: at))
        }
    }

    func counts(in window: DayWindow, from: Date) async throws(RepositoryError) -> DayCounts {
        let bounds = [StoreTime.milliseconds(window.start), StoreTime.milliseconds(from), StoreTime.milliseconds(window.end)]
        return try database.read { db in
            guard let row = try Row.fetchOne(db.statement(StoreSQL.Stats.windowCounts), arguments: StatementArguments(bounds)) else {
                return .zero
            }
            return try StoreRows.dayCounts(row)
        }
    }

    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats] {
        try database.read { db in
            try Row.fetchAll(db.statement(StoreSQL.Stats.days), arguments: [from.description, to.description]).compactMap(StoreRows.dailyStats)
        }
    }

    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate> {
        try database.read { db in
            Set(try String.fetchAll(db.statement(StoreSQL.Stats.dayDates), arguments: [from.description, to.description]).compactMap(CivilDate.init))
        }
    }

    func acquireLease(job: String, holder: String, now: Date, until: Date) async throws(RepositoryError) -> LeaseResult {
        try await database.write { db in
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

    func releaseLease(job: String, holder: String) async throws(RepositoryError) {
        try await database.write { db in
            try db.statement(StoreSQL.Stats.releaseLease).execute(arguments: [job, holder])
        }
    }

    func takeOverLease(job: String, from previous: String, to holder: String, until: Date) async throws(RepositoryError) -> Bool {
        try await database.write { db in
            try String.fetchOne(db.statement(StoreSQL.Stats.takeOverLease), arguments: [holder, StoreTime.milliseconds(until), job, previous]) != nil
        }
    }

    func updateRun(_ run: BatchRun) async throws(RepositoryError) {
        try await database.write { db in
            try db.statement(StoreSQL.Stats.updateRun).execute(arguments: [
                run.durationSeconds, run.outcome.rawValue, run.error, run.rowsWritten, run.id,
            ])
        }
    }

    func closeAbandonedRuns(job: String, reason: String) async throws(RepositoryError) -> Int {
        try await database.write { db in
            try Int64.fetchAll(db.statement(StoreSQL.Stats.closeAbandonedRuns), arguments: [
                RunOutcome.interrupted.rawValue, reason, RunOutcome.running.rawValue, job,
            ]).count
        }
    }

    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun {
        try await database.write { db in
            let arguments: StatementArguments = [
                job, run.trigger.rawValue, run.from.description, run.to.description, StoreTime.milliseconds(run.startedAt),
                run.durationSeconds, run.outcome.rawValue, run.error, run.rowsWritten, run.instance,
            ]
            guard let id = try Int64.fetchOne(db.statement(StoreSQL.Stats.insertRun), arguments: arguments) else {
                throw RepositoryError.unavailable("insert returned nothing")
            }
            var recorded = run
            recorded.id = id
            return recorded
        }
    }

    func runs(job: String, limit: Int) async throws(RepositoryError) -> [BatchRun] {
        try database.read { db in
            try Row.fetchAll(db.statement(StoreSQL.Stats.runs), arguments: [job, limit]).compactMap(StoreRows.batchRun)
        }
    }

    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int {
        try await database.write { db in
            try Int64.fetchAll(db.statement(StoreSQL.Stats.pruneRuns), arguments: [StoreTime.milliseconds(cutoff)]).count
        }
    }
}
