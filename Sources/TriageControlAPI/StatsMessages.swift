import Foundation

extension ControlPath {
    /// `GET ?days=N` (the last N days, today included; default 30) or `?from=D&to=D`.
    public static let dailyStats = "/v1/stats/daily"
}

/// The days `GET /api/stats/daily` has for a range, as `triagectl stats` charts them.
public struct DailyStatsReport: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    /// `stats.timezone`, in which the dates are days.
    public var timeZone: String
    /// Only the days that have a row (aggregated, or today's live one), ascending.
    public var days: [DailyStatsDay]

    public init(from: String, to: String, timeZone: String, days: [DailyStatsDay]) {
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.days = days
    }
}

/// One row of `GET /api/stats/daily`.
public struct DailyStatsDay: Codable, Sendable, Equatable {
    public var date: String
    public var createdCount: Int
    public var resolvedCount: Int
    public var commentCount: Int
    public var aggregatedAt: Date
    /// Today, counted so far.
    public var partial: Bool

    public init(date: String, createdCount: Int, resolvedCount: Int, commentCount: Int, aggregatedAt: Date, partial: Bool) {
        self.date = date
        self.createdCount = createdCount
        self.resolvedCount = resolvedCount
        self.commentCount = commentCount
        self.aggregatedAt = aggregatedAt
        self.partial = partial
    }
}
