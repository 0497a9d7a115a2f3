import Foundation
import Hummingbird
import TriageControlAPI
import TriageCron

/// `/v1/batches/daily-stats/runs`: run the batch now, and its history.
struct ControlBatchController {
    let batch: DailyStatsBatch
    let store: any Store
    let settings: SettingsHolder
    let clock: any WallClock

    static let ndjson = "application/x-ndjson"

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.post(RouterPath(ControlPath.dailyStatsRuns)) { request, context in
            let body = try await RequestInput.decode(DailyStatsRunRequest.self, from: request, context: context)
            let days = try requestedDays(body)
            if request.headers[.accept] == Self.ndjson {
                return try await streamed(days)
            }
            let report = try await run(days, progress: nil)
            return try encoded(Self.response(report))
        }
        router.get(RouterPath(ControlPath.dailyStatsRuns)) { request, _ in
            var limit = 20
            if let text = request.uri.queryParameters["limit"] {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw HTTPProblem.invalid("limit", "must be an integer from 1 to 1000")
                }
                limit = value
            }
            return try encoded(try await store.stats.runs(job: DailyStatsBatch.job, limit: limit).map(\.record))
        }
    }

    private func requestedDays(_ body: DailyStatsRunRequest) throws -> [CivilDate] {
        let zone = ZonedTime(zone: settings.current.statsTimeZone)
        let today = zone.date(at: clock.now())
        do throws(DayRange.Problem) {
            let from: CivilDate
            let to: CivilDate
            if body.date == nil && body.from == nil && body.to == nil {
                // Nothing named: yesterday, like the scheduled run.
                from = today.adding(days: -1)
                to = from
            } else if let single = body.date {
                guard body.from == nil && body.to == nil else { throw .ambiguous(field: "date") }
                from = try DayRange.date(single, field: "date")
                to = from
            } else {
                (from, to) = try DayRange.range(from: body.from, to: body.to)
            }
            return try DayRange.days(from: from, to: to, notAfter: today)
        } catch {
            throw error.problem
        }
    }

    private func run(_ days: [CivilDate], progress: (@Sendable (DailyStatsBatch.DayResult) async -> Void)?) async throws -> DailyStatsBatch.Report {
        do {
            return try await batch.run(days: days, trigger: .manual, progress: progress)
        } catch {
            throw HTTPProblem(.conflict, title: "Batch busy", detail: error.description)
        }
    }

    /// One JSON line per finished day, then the whole answer as the last line,
    /// so `triagectl batch run` can show progress on a terminal.
    private func streamed(_ days: [CivilDate]) async throws -> Response {
        guard await !batch.isRunning else {
            throw HTTPProblem(.conflict, title: "Batch busy", detail: "a daily-stats run is in progress; try again when it ends")
        }
        let (lines, continuation) = AsyncStream<ByteBuffer>.makeStream()
        // Not cancelled if the client goes away: the run finishes and is recorded either way.
        Task { [batch] in
            do {
                let report = try await batch.run(days: days, trigger: .manual) { day in
                    continuation.yield(Self.line(Self.result(day)))
                }
                continuation.yield(Self.line(Self.response(report)))
            } catch {
                continuation.yield(Self.line(ProblemDocument(title: "Batch busy", status: 409, detail: "\(error)")))
            }
            continuation.finish()
        }
        return Response(status: .ok, headers: [.contentType: Self.ndjson], body: ResponseBody(asyncSequence: lines))
    }

    static func result(_ day: DailyStatsBatch.DayResult) -> DailyStatsDayResult {
        DailyStatsDayResult(
            date: day.date.description, createdCount: day.stats?.createdCount ?? 0, resolvedCount: day.stats?.resolvedCount ?? 0,
            commentCount: day.stats?.commentCount ?? 0, outcome: day.outcome.rawValue, error: day.error
        )
    }

    static func response(_ report: DailyStatsBatch.Report) -> DailyStatsRunResponse {
        DailyStatsRunResponse(runId: report.run.id == 0 ? nil : report.run.id, outcome: report.run.outcome.rawValue, days: report.days.map(result))
    }

    private static func line(_ value: some Encodable) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: (try? controlEncoder().encode(value)) ?? Data("{}".utf8))
        buffer.writeString("\n")
        return buffer
    }
}
