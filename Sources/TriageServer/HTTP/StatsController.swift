import Foundation
import Hummingbird

/// `GET /api/stats/daily?from=YYYY-MM-DD&to=YYYY-MM-DD`: aggregated days, ascending,
/// and today's live row when the range holds today.
struct StatsController {
    let live: LiveDailyStats

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.dailyStats) { request, _ -> [DailyStats] in
            let query = request.uri.queryParameters
            let range: (CivilDate, CivilDate)
            do throws(DayRange.Problem) {
                let from = try DayRange.date(query["from"].map(String.init), field: "from")
                let to = try DayRange.date(query["to"].map(String.init), field: "to")
                _ = try DayRange.days(from: from, to: to)
                range = (from, to)
            } catch {
                throw HTTPProblem(.badRequest, title: "Invalid request", detail: error.description)
            }
            return try await live.daily(from: range.0, to: range.1)
        }
    }
}

extension DailyStats: ResponseEncodable {}
