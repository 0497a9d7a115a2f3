import ArgumentParser
import TriageControlAPI

struct ExternalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external",
        abstract: "The external API call.",
        subcommands: [ExternalResetCommand.self]
    )
}

struct ExternalResetCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Close the circuit breaker now.")

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.POST, ControlPath.externalReset, body: NoBody()))
            return
        }
        let answer = try await client.send(.POST, ControlPath.externalReset, body: NoBody(), as: ExternalResetResponse.self)
        print(Table.render([("circuit breaker", answer.breaker)]))
    }
}
