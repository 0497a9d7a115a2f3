import Foundation
import TriageCron

/// The daily statistics table, its run history, and the lease that keeps two
/// processes from running the batch at once.
public protocol StatsRepository: Sendable {
    /// Counts the window and upserts its row, in one transaction that holds the
    /// day's lock; `.heldBy` when another process is aggregating that day now
    /// (it writes the row; this call writes nothing).
    func aggregate(_ window: DayWindow, at: Date) async throws(RepositoryError) -> DayAggregation
    /// Counts the part of `window` from `from` on by the batch's rules, resolutions only
    /// of issues not already resolved in the window before `from`, and writes nothing:
    /// today's live row, in parts that add up (`from: window.start` is the whole window).
    func counts(in window: DayWindow, from: Date) async throws(RepositoryError) -> DayCounts
    /// Rows of days in [from, to], ascending.
    func daily(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> [DailyStats]
    /// The days in [from, to] that have a row.
    func aggregatedDays(from: CivilDate, to: CivilDate) async throws(RepositoryError) -> Set<CivilDate>

    /// Takes (or renews) the batch lease for `holder` until `until`; returns the
    /// current holder instead when another one holds an unexpired lease.
    func acquireLease(job: String, holder: String, now: Date, until: Date) async throws(RepositoryError) -> LeaseResult
    func releaseLease(job: String, holder: String) async throws(RepositoryError)
    /// Moves the lease from `previous` to `holder` if `previous` still holds it, expired
    /// or not: for a holder known to be dead (`InstanceID.isGone`). False when it moved on.
    func takeOverLease(job: String, from previous: String, to holder: String, until: Date) async throws(RepositoryError) -> Bool

    /// Records a run of `job` (the batch names itself; the store keeps no job names).
    func recordRun(_ run: BatchRun, job: String) async throws(RepositoryError) -> BatchRun
    /// Writes a recorded run's outcome, duration, error and rows (by its id).
    func updateRun(_ run: BatchRun) async throws(RepositoryError)
    /// Marks every run of `job` still `running` as `interrupted` with `reason`; returns how many.
    /// Only the job's one runner calls it (the batch's lease holder): no other run can be going then.
    func closeAbandonedRuns(job: String, reason: String) async throws(RepositoryError) -> Int
    /// Runs of `job`, newest first.
    func runs(job: String, limit: Int) async throws(RepositoryError) -> [BatchRun]
    /// Deletes runs that started before `cutoff`; returns how many.
    @discardableResult
    func pruneRuns(startedBefore cutoff: Date) async throws(RepositoryError) -> Int
}

public enum DayAggregation: Sendable, Equatable {
    case aggregated(DailyStats)
    /// Another process holds the day; its instance id (host:pid) when the database can tell.
    case heldBy(String)
}

public enum LeaseResult: Sendable, Equatable {
    case acquired
    case heldBy(String)
}
