import ArgumentParser

/// A subcommand that talks to the daemon: errors become the documented exit codes.
protocol ControlCommand: AsyncParsableCommand {
    var options: ControlOptions { get }
    func execute(client: ControlClient) async throws(ControlClientError)
}

extension ControlCommand {
    func run() async throws {
        do {
            try await execute(client: ControlClient(socketPath: options.socketPath))
        } catch {
            Output.printError(error.description)
            throw error.exitCode
        }
    }
}
