import Foundation
import Hummingbird
import TriageCron

/// `GET /api/stats/daily?from=YYYY-MM-DD&to=YYYY-MM-DD`: aggregated days, ascending,
/// and today's live row when the range holds today; JSON, or CSV when asked for.
struct StatsController {
    let live: LiveDailyStats

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.dailyStats) { request, context -> Response in
            let query = request.uri.queryParameters
            let range: (from: CivilDate, to: CivilDate)
            do throws(DayRange.Problem) {
                range = try DayRange.range(from: query["from"].map(String.init), to: query["to"].map(String.init))
            } catch {
                throw error.problem
            }
            let format = try ResponseFormat.requested(by: request)
            let days = try await live.daily(from: range.from, to: range.to)
            var response: Response
            switch format {
            case .json:
                response = try context.responseEncoder.encode(days, from: request, context: context)
            case .csv:
                response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: DailyStatsCSV.text(days))))
                response.headers[.contentType] = "\(ResponseFormat.csv.mediaType); charset=utf-8; header=present"
                response.headers[.contentDisposition] = "attachment; filename=\"triage-daily-\(range.from)-\(range.to).csv\""
            }
            // The same URL has two bodies: a cache must key on Accept.
            response.headers[.vary] = "Accept"
            return response
        }
    }
}
