import ArgumentParser
import Foundation

/// Options every subcommand takes.
struct ControlOptions: ParsableArguments {
    @Option(help: "Control socket of the daemon (default: $TRIAGE_CONTROL_SOCKET, $RUNTIME_DIRECTORY/control.sock, /run/triage/control.sock if present, else ./triage-data/control.sock).")
    var socket: String?

    @Flag(help: "Print the daemon's JSON answer instead of a table.")
    var json = false

    /// The socket to use, and whether it is the development default in the current
    /// directory because no flag, variable or systemd location named one: worth saying so.
    var resolvedSocket: (path: String, fellBack: Bool) {
        socket.map { ($0, false) } ?? Self.defaultSocket(environment: ProcessInfo.processInfo.environment)
    }

    /// Mirrors the daemon's own default, plus the systemd location for an operator's shell.
    static func defaultSocket(environment: [String: String]) -> (path: String, fellBack: Bool) {
        if let explicit = environment["TRIAGE_CONTROL_SOCKET"], !explicit.isEmpty { return (explicit, false) }
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty {
            return (runtime + "/control.sock", false)
        }
        let systemdDefault = "/run/triage/control.sock"
        // There but out of reach (another user's directory) still means that socket, not ./triage-data.
        var status = stat()
        if stat(systemdDefault, &status) == 0 || errno == EACCES { return (systemdDefault, false) }
        return ("./triage-data/control.sock", true)
    }
}
