import Foundation

/// `/api/stats/daily` as CSV for spreadsheets: a header row of the JSON keys, then the same rows.
enum DailyStatsCSV {
    static func text(_ days: [DailyStats]) -> String {
        var csv = CSVText()
        csv.record(DailyStats.CodingKeys.allCases.map(\.stringValue))
        for day in days {
            csv.record(DailyStats.CodingKeys.allCases.map { day.field($0) })
        }
        return csv.text
    }
}

private extension DailyStats {
    /// A column's value, written as the JSON writes it (timestamps as ISO 8601 with milliseconds).
    func field(_ key: CodingKeys) -> String {
        switch key {
        case .date: return date.description
        case .createdCount: return String(createdCount)
        case .resolvedCount: return String(resolvedCount)
        case .commentCount: return String(commentCount)
        case .aggregatedAt: return ISO8601Milliseconds.string(from: aggregatedAt)
        case .partial: return partial ? "true" : "false"
        }
    }
}
