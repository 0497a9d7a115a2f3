import ArgumentParser
import Foundation
import TriageControlAPI
import TriageCron

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Preview cron schedules.",
        subcommands: [ScheduleNextCommand.self]
    )
}

/// `triagectl schedule next [EXPR] [--count N] [--zone ZONE]`: the next firings,
/// computed here by the daemon's own cron module (what `systemd-analyze calendar
/// --iterations=N` is for OnCalendar=).
struct ScheduleNextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Print a cron expression's next firings, in its zone and in UTC.",
        discussion: """
            Without EXPR, previews the running daemon's stats.cron in stats.timezone (asked over the control socket). \
            EXPR takes 6 fields (sec min hour day-of-month month day-of-week), 5, or a macro (@daily…); \
            Quartz's L, L-n, LW, nW, dL and d#n are understood. Firings that a DST change moves are marked. \
            An invalid expression exits 1, naming the column at fault.
            """
    )

    static let largestCount = 1000

    @Argument(help: "A cron expression (quote it). Default: the daemon's stats.cron.")
    var expression: String?

    @Option(help: "How many firings to print (1–\(largestCount)).")
    var count = 5

    @Option(help: "IANA time zone, e.g. Europe/Berlin. Default: stats.timezone without EXPR, else this machine's zone.")
    var zone: String?

    @Option(help: "Start after this instant instead of now (ISO 8601, e.g. 2027-03-27T00:00:00Z), as systemd-analyze's --base-time.")
    var after: String?

    @OptionGroup var options: ControlOptions

    func validate() throws {
        if let after, (try? Date(after, strategy: .iso8601)) == nil {
            throw ValidationError("--after: \"\(after)\" is not an ISO 8601 instant such as 2027-03-27T00:00:00Z")
        }
        guard (1...Self.largestCount).contains(count) else {
            throw ValidationError("--count must be from 1 to \(Self.largestCount)")
        }
        if let zone, TimeZone(identifier: zone) == nil {
            throw ValidationError("--zone: \"\(zone)\" is not an IANA time zone this machine knows (e.g. Europe/Berlin)")
        }
    }

    func run() async throws {
        let (text, zoneName) = try await subject()
        let cron: CronExpression
        do {
            cron = try CronExpression(text)
        } catch {
            Output.printError("invalid cron expression: \(error)")
            if let column = error.column {
                FileHandle.standardError.write(Data("  \(text)\n  \(String(repeating: " ", count: column - 1))\(String(repeating: "^", count: error.width))\n".utf8))
            }
            throw ExitCode.failure
        }
        guard let timeZone = TimeZone(identifier: zoneName) else {
            Output.printError("\"\(zoneName)\" is not an IANA time zone this machine knows")
            throw ExitCode.failure
        }
        let start = after.flatMap { try? Date($0, strategy: .iso8601) } ?? Date()
        var preview = SchedulePreview(expression: cron, timeZone: timeZone, zoneName: zoneName, count: count, now: start)
        preview.startIsGiven = after != nil
        if options.json {
            print(preview.json())
        } else {
            print(preview.text())
        }
    }

    /// This machine's zone by its name: `TZ` when it names one (Foundation calls TZ=UTC "GMT"), else the system's.
    private static var localZone: String {
        if let name = ProcessInfo.processInfo.environment["TZ"], TimeZone(identifier: name) != nil { return name }
        return TimeZone.current.identifier
    }

    /// The expression and zone to preview: as given, or the daemon's.
    private func subject() async throws -> (expression: String, zone: String) {
        if let expression {
            return (expression, zone ?? Self.localZone)
        }
        let socket = options.resolvedSocket
        do {
            let status = try await ControlClient(socketPath: socket.path).get(ControlPath.status, as: StatusResponse.self)
            return (status.scheduler.cron, zone ?? status.scheduler.timeZone)
        } catch {
            Output.printError("\(error.description) (give an expression to preview it without the daemon)")
            throw error.exitCode
        }
    }
}
