import ArgumentParser
import TriageControlAPI

struct ReloadCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Re-read the configuration; returns once the daemon applied it."
    )

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.POST, ControlPath.reload, body: NoBody()))
            return
        }
        let answer = try await client.send(.POST, ControlPath.reload, body: NoBody(), as: ReloadResponse.self)
        print(Table.render([
            ("reloaded", "yes"),
            ("applied", answer.applied.isEmpty ? "nothing changed" : answer.applied.joined(separator: ", ")),
            ("restart required", answer.restartRequired.isEmpty ? "no" : answer.restartRequired.joined(separator: ", ")),
            ("log level", answer.logLevel),
        ]))
    }
}
