import ArgumentParser
import TriageControlAPI
import TriageServer

/// `triaged`: the Triage daemon. Flags override environment variables, which
/// override the configuration file (DESIGN §2).
@main
struct Triaged: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triaged",
        abstract: "The Triage issue tracker daemon.",
        discussion: "Every setting can also come from TRIAGE_* environment variables or the configuration file.",
        version: TriageVersion.current
    )

    @Option(name: .customLong("config"), help: "YAML or JSON configuration file.")
    var configFile: String?

    @Option(help: "Address of the public HTTP listener (http.host).")
    var host: String?

    // Taken as text so that a bad value is a configuration error (78) naming the key, like any other source.
    @Option(help: "Port of the public HTTP listener; 0 picks a free one (http.port).")
    var port: String?

    @Option(name: .customLong("control-socket"), help: "Path of the control socket (control.socket).")
    var controlSocket: String?

    @Option(name: .customLong("database"), help: "sqlite://PATH or postgres://user:pass@host:port/db (database.url).")
    var database: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (log.level).")
    var logLevel: String?

    func run() async throws {
        var flags: [SettingKey: String] = [:]
        flags[.httpHost] = host
        flags[.httpPort] = port
        flags[.controlSocket] = controlSocket
        flags[.databaseURL] = database
        flags[.logLevel] = logLevel
        let status = await DaemonLauncher.launch(flags: flags, configFile: configFile)
        if status != .ok {
            throw ExitCode(status.rawValue)
        }
    }
}

