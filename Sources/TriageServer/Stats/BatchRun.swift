import Foundation
import TriageControlAPI
import TriageCron

/// What started a run of the daily statistics batch.
public enum BatchTrigger: String, Codable, Sendable, CaseIterable {
    case schedule
    case catchUp = "catch-up"
    case manual
}

/// How one day of a run ended.
public enum DayOutcome: String, Codable, Sendable {
    case done
    /// Another process held the batch; it aggregates the day instead.
    case skipped
    case failed
}

/// How a whole run ended.
public enum RunOutcome: String, Codable, Sendable {
    case done
    /// Another process held the batch, so this one aggregated nothing.
    case skipped
    /// At least one day failed; the others were aggregated.
    case failed
    /// Shutdown arrived mid-run, or the process ended during it (killed, crashed):
    /// finished days are kept, the rest were not started; catch-up fills them.
    case interrupted
    /// Going now. A run is recorded so when it begins, so that a process killed
    /// during it leaves a trace, which the next lease holder marks `interrupted`.
    case running
}

/// One recorded run (`GET /v1/batches/daily-stats/runs`).
public struct BatchRun: Codable, Sendable, Equatable {
    public var id: Int64
    public var trigger: BatchTrigger
    public var from: CivilDate
    public var to: CivilDate
    public var startedAt: Date
    public var durationSeconds: Double
    public var outcome: RunOutcome
    public var error: String?
    public var rowsWritten: Int
    public var instance: String

}

extension BatchRun {
    /// The control API's shape of this run.
    public var record: BatchRunRecord {
        BatchRunRecord(
            id: id, trigger: trigger.rawValue, from: from.description, to: to.description, startedAt: startedAt,
            durationSeconds: durationSeconds, outcome: outcome.rawValue, error: error, rowsWritten: rowsWritten, instance: instance
        )
    }
}
