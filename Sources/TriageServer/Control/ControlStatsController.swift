import Foundation
import Hummingbird
import HummingbirdCore
import TriageControlAPI
import TriageCron

/// `GET /v1/stats/daily`: what `GET /api/stats/daily` answers, for `triagectl stats`,
/// with the range worked out in `stats.timezone` when only a number of days is given.
struct ControlStatsController {
    let live: LiveDailyStats
    let settings: SettingsHolder

    static let defaultDays = 30

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.get(RouterPath(ControlPath.dailyStats)) { request, _ in
            let (from, to) = try range(request.uri.queryParameters)
            let rows = try await live.daily(from: from, to: to)
            return try encoded(DailyStatsReport(
                from: from.description, to: to.description, timeZone: settings.current.statsTimeZone.identifier,
                days: rows.map {
                    DailyStatsDay(
                        date: $0.date.description, createdCount: $0.createdCount, resolvedCount: $0.resolvedCount,
                        commentCount: $0.commentCount, aggregatedAt: $0.aggregatedAt, partial: $0.partial
                    )
                }
            ))
        }
    }

    private func range(_ query: FlatDictionary<Substring, Substring>) throws -> (CivilDate, CivilDate) {
        let days = query["days"].map(String.init)
        let from = query["from"].map(String.init)
        let to = query["to"].map(String.init)
        do throws(DayRange.Problem) {
            if from != nil || to != nil {
                guard days == nil else { throw .ambiguous(field: "days") }
                return try DayRange.range(from: from, to: to)
            }
        } catch {
            throw error.problem
        }
        var count = Self.defaultDays
        if let days {
            guard let value = Int(days), (1...DayRange.maximumDays).contains(value) else {
                throw HTTPProblem.invalid("days", "must be an integer from 1 to \(DayRange.maximumDays)")
            }
            count = value
        }
        let today = live.today()
        return (today.adding(days: 1 - count), today)
    }
}
