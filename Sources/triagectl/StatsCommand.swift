import ArgumentParser
import Foundation
import TriageControlAPI

struct StatsCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Issues created and resolved, and comments, per day: a chart on a terminal, columns otherwise.",
        discussion: """
            Days are in stats.timezone; today is counted so far and marked partial. Days the batch
            has not aggregated show as such. The bars of created and resolved share one scale.
            """
    )

    @Option(help: "The last N days, today included (1–366; default 30).")
    var days: Int?

    @OptionGroup var range: DayRangeOptions

    @OptionGroup var options: ControlOptions

    func validate() throws {
        if days != nil && range.isGiven { throw ValidationError("give either --days, or --from and --to") }
        if let days, !(1...366).contains(days) { throw ValidationError("--days must be from 1 to 366") }
    }

    private var path: String {
        if let from = range.from, let to = range.to {
            let query = [URLQueryItem(name: "from", value: from), URLQueryItem(name: "to", value: to)]
            var components = URLComponents()
            components.queryItems = query
            return ControlPath.dailyStats + "?" + (components.percentEncodedQuery ?? "")
        }
        return ControlPath.dailyStats + (days.map { "?days=\($0)" } ?? "")
    }

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.GET, path, body: Optional<NoBody>.none))
            return
        }
        let report = try await client.get(path, as: DailyStatsReport.self)
        let chart = StatsChart(report: report)
        if isatty(STDOUT_FILENO) == 1 {
            print(chart.bars(width: Terminal.columns()))
        } else {
            print(chart.columns())
        }
    }
}
