import ArgumentParser
import Foundation

/// Options every subcommand takes.
struct ControlOptions: ParsableArguments {
    @Option(help: "Control socket of the daemon (default: $TRIAGE_CONTROL_SOCKET, $RUNTIME_DIRECTORY/control.sock, /run/triage/control.sock if present, else ./triage-data/control.sock).")
    var socket: String?

    @Flag(help: "Print the daemon's JSON answer instead of a table.")
    var json = false

    var socketPath: String {
        socket ?? Self.defaultSocketPath(environment: ProcessInfo.processInfo.environment)
    }

    /// Mirrors the daemon's own default, plus the systemd location for an operator's shell.
    static func defaultSocketPath(environment: [String: String]) -> String {
        if let explicit = environment["TRIAGE_CONTROL_SOCKET"], !explicit.isEmpty { return explicit }
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty {
            return runtime + "/control.sock"
        }
        let systemdDefault = "/run/triage/control.sock"
        // There but out of reach (another user's directory) still means that socket, not ./triage-data.
        var status = stat()
        if stat(systemdDefault, &status) == 0 || errno == EACCES { return systemdDefault }
        return "./triage-data/control.sock"
    }
}
