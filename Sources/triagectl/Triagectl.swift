import ArgumentParser
import TriageControlAPI

/// `triagectl`: drives a running `triaged` over its control socket.
@main
struct Triagectl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triagectl",
        abstract: "Administer a running triaged over its control socket.",
        discussion: """
            Exit codes: 0 ok, 1 the daemon refused or failed the command, 64 usage error, \
            69 the daemon is unreachable.
            """,
        version: TriageVersion.current,
        subcommands: [StatusCommand.self, BatchCommand.self, StatsCommand.self, ScheduleCommand.self, BackupCommand.self, CacheCommand.self, ExternalCommand.self, UserCommand.self, LogLevelCommand.self, ReloadCommand.self]
    )
}
