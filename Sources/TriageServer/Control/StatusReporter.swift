import Foundation
import TriageControlAPI

/// Assembles `GET /v1/status` from the parts of the running daemon.
struct StatusReporter: Sendable {
    let startedAt: Date
    let instance: String
    let settings: SettingsHolder
    let readiness: ReadinessTracker
    let levelControl: LogLevelControl
    let store: any Store
    let storeTimeout: Duration
    let watchdog: WatchdogState
    let batch: DailyStatsBatch
    let scheduler: SchedulerState
    let backups: ScheduledBackups
    let backupSchedule: BackupScheduleState
    let breaker: CircuitBreaker
    let lastGood: LastKnownGood

    func report() async -> StatusResponse {
        let current = settings.current
        return StatusResponse(
            version: TriageVersion.current,
            pid: getpid(),
            instance: instance,
            startedAt: startedAt,
            uptimeSeconds: Date().timeIntervalSince(startedAt),
            ready: readiness.isReady,
            httpAddress: readiness.httpAddress ?? "\(current.httpHost):\(current.httpPort)",
            controlSocket: current.controlSocket,
            logLevel: levelControl.current.rawValue,
            store: await storeStatus(),
            watchdog: watchdog.snapshot,
            scheduler: await schedulerStatus(current),
            backup: await backupStatus(current),
            external: ExternalStatus(
                url: URLRedaction.forDisplay(current.externalURL), breaker: breaker.state.rawValue,
                consecutiveFailures: breaker.consecutiveFailures, retryAt: breaker.retryAt, lastSuccessAt: lastGood.snapshot?.fetchedAt
            )
        )
    }

    private func schedulerStatus(_ current: Settings) async -> SchedulerStatus {
        let next = scheduler.next
        let local = next.map { $0.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: current.statsTimeZone)) }
        return SchedulerStatus(
            cron: current.statsCron.description, timeZone: current.statsTimeZone.identifier, nextRunAt: next,
            nextRunLocal: local, running: await batch.isRunning, lastRun: await batch.lastRun?.record
        )
    }

    private func backupStatus(_ current: Settings) async -> BackupStatus {
        BackupStatus(
            cron: current.backupCron?.description, timeZone: current.statsTimeZone.identifier, directory: current.backupDirectory,
            keep: current.backupKeep, nextRunAt: backupSchedule.next, running: await backups.isRunning, lastRun: await backups.latest()?.record
        )
    }

    private func storeStatus() async -> StoreStatus {
        do {
            let version = try await withTimeout(storeTimeout) { [store] in
                try await store.ping()
                return try await store.schemaVersion()
            }
            return StoreStatus(kind: store.kind, location: store.location, reachable: true, schemaVersion: version)
        } catch {
            return StoreStatus(kind: store.kind, location: store.location, reachable: false, schemaVersion: "unknown", error: "\(error)")
        }
    }
}
