import ArgumentParser

/// A subcommand that talks to the daemon: errors become the documented exit codes.
protocol ControlCommand: AsyncParsableCommand {
    var options: ControlOptions { get }
    func execute(client: ControlClient) async throws(ControlClientError)
}

extension ControlCommand {
    func run() async throws {
        let socket = options.resolvedSocket
        if socket.fellBack {
            Output.printError("no --socket, TRIAGE_CONTROL_SOCKET or /run/triage/control.sock; using \(socket.path)")
        }
        do {
            try await execute(client: ControlClient(socketPath: socket.path))
        } catch {
            Output.printError(error.description)
            throw error.exitCode
        }
    }
}
