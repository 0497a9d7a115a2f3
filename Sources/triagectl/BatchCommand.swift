import ArgumentParser
import Foundation
import TriageControlAPI

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "The daily statistics batch.",
        subcommands: [BatchRunCommand.self, BatchHistoryCommand.self]
    )
}

struct BatchRunCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Aggregate days now (default: yesterday in stats.timezone).",
        discussion: "Exits 0 when no day failed. Dates are YYYY-MM-DD in stats.timezone, none after today."
    )

    @Option(help: "One day to aggregate.")
    var date: String?

    /// A range not in the future.
    @OptionGroup var range: DayRangeOptions

    @OptionGroup var options: ControlOptions

    func validate() throws {
        if date != nil && range.isGiven {
            throw ValidationError("give either --date, or --from and --to")
        }
    }

    /// Without dates: yesterday, as the daemon's zone sees it (the daemon checks; the CLI only proposes).
    private var request: DailyStatsRunRequest {
        if let date { return DailyStatsRunRequest(date: date) }
        if let from = range.from, let to = range.to { return DailyStatsRunRequest(from: from, to: to) }
        return DailyStatsRunRequest()
    }

    func execute(client: ControlClient) async throws(ControlClientError) {
        let showProgress = !options.json && isatty(STDOUT_FILENO) == 1 && range.from != nil
        let response: DailyStatsRunResponse
        if showProgress {
            response = try await client.streamLines(ControlPath.dailyStatsRuns, body: request) { line in
                if let day = try? JSONDecoder().decode(DailyStatsDayResult.self, from: line), !day.outcome.isEmpty {
                    print("\(day.date)  \(day.outcome)  created \(day.createdCount), resolved \(day.resolvedCount), comments \(day.commentCount)")
                }
            }
        } else if options.json {
            let data = try await client.exchange(.POST, ControlPath.dailyStatsRuns, body: request)
            Output.printJSON(data)
            response = try ControlClient.decode(DailyStatsRunResponse.self, from: data)
        } else {
            response = try await client.send(.POST, ControlPath.dailyStatsRuns, body: request, as: DailyStatsRunResponse.self)
        }
        if !options.json {
            let header = ["DATE", "CREATED", "RESOLVED", "COMMENTS", "OUTCOME"]
            let rows = response.days.map { [$0.date, String($0.createdCount), String($0.resolvedCount), String($0.commentCount), $0.outcome + ($0.error.map { " (\($0))" } ?? "")] }
            print(Table.columns([header] + rows))
            print("run \(response.runId.map(String.init) ?? "?"): \(response.outcome)")
        }
        let failed = response.days.filter { $0.outcome == "failed" }.count
        if failed > 0 {
            throw .refused(ProblemDocument(title: "Days failed", status: 500, detail: "\(failed) of \(response.days.count) days failed"))
        }
    }
}

struct BatchHistoryCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Recent runs, newest first.")

    @Option(help: "How many runs to show (1–1000).")
    var limit: Int = 20

    @OptionGroup var options: ControlOptions

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000") }
    }

    func execute(client: ControlClient) async throws(ControlClientError) {
        let path = "\(ControlPath.dailyStatsRuns)?limit=\(limit)"
        if options.json {
            Output.printJSON(try await client.exchange(.GET, path, body: Optional<NoBody>.none))
            return
        }
        let runs = try await client.get(path, as: [BatchRunRecord].self)
        let header = ["ID", "TRIGGER", "FROM", "TO", "STARTED", "SECONDS", "OUTCOME", "ROWS", "ERROR"]
        let rows = runs.map {
            [String($0.id), $0.trigger, $0.from, $0.to, $0.startedAt.formatted(.iso8601), String(format: "%.3f", $0.durationSeconds),
             $0.outcome, String($0.rowsWritten), $0.error ?? ""]
        }
        print(runs.isEmpty ? "no runs recorded" : Table.columns([header] + rows))
    }
}
