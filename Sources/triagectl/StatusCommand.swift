import ArgumentParser
import Foundation
import TriageControlAPI

struct StatusCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's state.")

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.GET, ControlPath.status, body: Optional<NoBody>.none))
            return
        }
        let status = try await client.get(ControlPath.status, as: StatusResponse.self)
        var rows: [(String, String)] = [
            ("version", status.version),
            ("instance", status.instance),
            ("ready", status.ready ? "yes" : "no"),
            ("uptime", Output.duration(status.uptimeSeconds)),
            ("http", status.httpAddress),
            ("control socket", status.controlSocket),
            ("log level", status.logLevel),
            ("store", "\(status.store.kind) \(status.store.location)"),
            ("store reachable", status.store.reachable ? "yes" : "no — \(status.store.error ?? "unknown error")"),
            ("schema", status.store.schemaVersion),
        ]
        if status.watchdog.enabled {
            let interval = status.watchdog.intervalSeconds.map { String(format: "%.1fs", $0) } ?? "?"
            let lastPing = status.watchdog.lastPingAt.map { $0.formatted(.iso8601) } ?? "none yet"
            rows.append(("watchdog", "every \(interval), last ping \(lastPing)"))
            if let error = status.watchdog.lastProbeError { rows.append(("watchdog probe", error)) }
        } else {
            rows.append(("watchdog", "off"))
        }
        let scheduler = status.scheduler
        rows.append(("stats schedule", "\(scheduler.cron) (\(scheduler.timeZone))"))
        if let next = scheduler.nextRunAt {
            rows.append(("stats next run", "\(scheduler.nextRunLocal ?? "?")  (\(next.formatted(.iso8601)))"))
        }
        if let last = scheduler.lastRun {
            let range = last.from == last.to ? last.from : "\(last.from)..\(last.to)"
            rows.append(("stats last run", "\(last.outcome), \(last.trigger) \(range), \(last.startedAt.formatted(.iso8601))"
                + (last.error.map { " — \($0)" } ?? "")))
        } else {
            rows.append(("stats last run", scheduler.running ? "running" : "none yet"))
        }
        let backup = status.backup
        if let cron = backup.cron {
            rows.append(("backup schedule", "\(cron) (\(backup.timeZone)) into \(backup.directory), keeping \(backup.keep)"))
            if let next = backup.nextRunAt { rows.append(("backup next run", next.formatted(.iso8601))) }
        } else {
            rows.append(("backup schedule", "off (backup.cron)"))
        }
        if let last = backup.lastRun {
            rows.append(("backup last run", "\(last.outcome), \(last.trigger), \(last.startedAt.formatted(.iso8601)), \(last.rowsWritten) rows"
                + (last.error.map { " — \($0)" } ?? "")))
        } else if backup.cron != nil {
            rows.append(("backup last run", backup.running ? "running" : "none yet"))
        }
        let external = status.external
        rows.append(("external", external.url))
        var breaker = external.breaker
        if let retryAt = external.retryAt { breaker += ", probe at \(retryAt.formatted(.iso8601))" }
        if external.consecutiveFailures > 0 { breaker += ", \(external.consecutiveFailures) failed calls in a row" }
        rows.append(("circuit breaker", breaker))
        rows.append(("external last ok", external.lastSuccessAt.map { $0.formatted(.iso8601) } ?? "never"))
        print(Table.render(rows))
    }
}
