import Foundation
import Hummingbird

/// `GET /api/stats/daily?from=YYYY-MM-DD&to=YYYY-MM-DD`: aggregated days, ascending,
/// and today's live row when the range holds today.
struct StatsController {
    let live: LiveDailyStats

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.dailyStats) { request, _ -> [DailyStats] in
            let query = request.uri.queryParameters
            let range: (from: CivilDate, to: CivilDate)
            do throws(DayRange.Problem) {
                range = try DayRange.range(from: query["from"].map(String.init), to: query["to"].map(String.init))
            } catch {
                throw error.problem
            }
            return try await live.daily(from: range.from, to: range.to)
        }
    }
}

extension DailyStats: ResponseEncodable {}
