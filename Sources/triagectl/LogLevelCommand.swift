import ArgumentParser
import TriageControlAPI

struct LogLevelCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-level",
        abstract: "Change the daemon's log level until the next reload or restart."
    )

    enum Level: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        init?(argument: String) {
            self.init(rawValue: argument.lowercased())
        }
    }

    @Argument(help: "One of: \(Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var level: Level

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        let request = LogLevelRequest(level: level.rawValue)
        if options.json {
            Output.printJSON(try await client.exchange(.PUT, ControlPath.logLevel, body: request))
            return
        }
        let answer = try await client.send(.PUT, ControlPath.logLevel, body: request, as: LogLevelResponse.self)
        print(Table.render([("log level", answer.level), ("previous", answer.previous)]))
    }
}
