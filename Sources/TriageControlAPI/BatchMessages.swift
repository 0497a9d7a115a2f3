import Foundation

extension ControlPath {
    public static let dailyStatsRuns = "/v1/batches/daily-stats/runs"
}

/// `POST /v1/batches/daily-stats/runs`: either `date`, or `from` and `to` (YYYY-MM-DD).
public struct DailyStatsRunRequest: Codable, Sendable, Equatable {
    public var date: String?
    public var from: String?
    public var to: String?

    public init(date: String? = nil, from: String? = nil, to: String? = nil) {
        self.date = date
        self.from = from
        self.to = to
    }
}

/// One day of a run; `outcome` is `done`, `skipped` or `failed`.
public struct DailyStatsDayResult: Codable, Sendable, Equatable {
    public var date: String
    public var createdCount: Int
    public var resolvedCount: Int
    public var commentCount: Int
    public var outcome: String
    public var error: String?

    public init(date: String, createdCount: Int, resolvedCount: Int, commentCount: Int, outcome: String, error: String? = nil) {
        self.date = date
        self.createdCount = createdCount
        self.resolvedCount = resolvedCount
        self.commentCount = commentCount
        self.outcome = outcome
        self.error = error
    }
}

public struct DailyStatsRunResponse: Codable, Sendable, Equatable {
    public var runId: Int64?
    /// `done`, `skipped`, `failed` or `interrupted`.
    public var outcome: String
    public var days: [DailyStatsDayResult]

    public init(runId: Int64?, outcome: String, days: [DailyStatsDayResult]) {
        self.runId = runId
        self.outcome = outcome
        self.days = days
    }
}

/// One entry of `GET /v1/batches/daily-stats/runs`, newest first.
public struct BatchRunRecord: Codable, Sendable, Equatable {
    public var id: Int64
    /// `schedule`, `catch-up` or `manual`.
    public var trigger: String
    public var from: String
    public var to: String
    public var startedAt: Date
    public var durationSeconds: Double
    public var outcome: String
    public var error: String?
    public var rowsWritten: Int
    public var instance: String

    public init(
        id: Int64, trigger: String, from: String, to: String, startedAt: Date, durationSeconds: Double,
        outcome: String, error: String?, rowsWritten: Int, instance: String
    ) {
        self.id = id
        self.trigger = trigger
        self.from = from
        self.to = to
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.outcome = outcome
        self.error = error
        self.rowsWritten = rowsWritten
        self.instance = instance
    }

    // `error` is written as an explicit null so every run has the same fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(error, forKey: .error)
        try container.encode(rowsWritten, forKey: .rowsWritten)
        try container.encode(instance, forKey: .instance)
    }
}

/// The statistics scheduler in `GET /v1/status`.
public struct SchedulerStatus: Codable, Sendable, Equatable {
    public var cron: String
    public var timeZone: String
    public var nextRunAt: Date?
    /// The next run in the configured zone, e.g. `2026-11-26T03:00:00+01:00`.
    public var nextRunLocal: String?
    public var running: Bool
    public var lastRun: BatchRunRecord?

    public init(cron: String, timeZone: String, nextRunAt: Date?, nextRunLocal: String?, running: Bool, lastRun: BatchRunRecord?) {
        self.cron = cron
        self.timeZone = timeZone
        self.nextRunAt = nextRunAt
        self.nextRunLocal = nextRunLocal
        self.running = running
        self.lastRun = lastRun
    }
}
