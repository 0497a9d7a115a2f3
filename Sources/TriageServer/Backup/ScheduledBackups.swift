import Foundation
import Logging
import TriageCron

/// Copies of the database into `backup.directory`, one at a time, each recorded
/// in the run history (job `backup`, beside the statistics batch's runs) with
/// the rows it holds, the oldest beyond `backup.keep` deleted after each new one.
public actor ScheduledBackups {
    public static let job = "backup"
    static let abandonedReason = "the process ended during the backup"

    private let store: any Store
    private let settings: SettingsHolder
    private let clock: any WallClock
    private let instance: String
    private let logger: Logger
    public private(set) var lastRun: BatchRun?
    public private(set) var isRunning = false
    private var closedAbandoned = false

    public init(store: any Store, settings: SettingsHolder, clock: any WallClock, instance: String, logger: Logger) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.instance = instance
        self.logger = logger
    }

    /// Makes one copy now; the run as recorded (also when it failed).
    @discardableResult
    public func run(trigger: BatchTrigger) async -> BatchRun {
        isRunning = true
        defer { isRunning = false }
        let current = settings.current
        let startedAt = clock.now()
        let started = ContinuousClock.now
        let day = ZonedTime(zone: current.statsTimeZone).date(at: startedAt)
        var run = BatchRun(
            id: 0, trigger: trigger, from: day, to: day, startedAt: startedAt, durationSeconds: 0,
            outcome: .running, error: nil, rowsWritten: 0, instance: instance
        )
        await closeAbandonedRuns()
        do {
            run = try await store.stats.recordRun(run, job: Self.job)
        } catch {
            logger.error("backup: the run could not be recorded; copying anyway", metadata: ["error": "\(error)"])
        }
        let directory = BackupDirectory(path: current.backupDirectory)
        let name = BackupDirectory.name(at: startedAt)
        do {
            try directory.create()
            directory.removePartials()
            let partial = directory.partial(for: name)
            let copy: BackupCopy
            do {
                copy = try await store.backup(to: partial)
            } catch {
                unlink(partial)
                throw error
            }
            guard rename(partial, directory.file(name)) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(partial)
                throw BackupError.failed("renaming the copy to \(directory.file(name)) failed: \(reason)")
            }
            directory.sync()
            let pruned = try directory.prune(keep: current.backupKeep)
            run.outcome = .done
            run.rowsWritten = copy.totalRows
            logger.notice(
                "backup written to \(directory.file(name)): \(copy.bytes) bytes, \(copy.totalRows) rows",
                metadata: ["bytes": "\(copy.bytes)", "rows": "\(copy.totalRows)", "deleted": "\(pruned.joined(separator: ","))"]
            )
        } catch {
            run.outcome = .failed
            run.error = "\(error)"
            logger.error("backup into \(directory.path) failed", metadata: ["error": "\(error)"])
        }
        run.durationSeconds = started.duration(to: .now).inSeconds
        if run.id != 0 {
            do {
                try await store.stats.updateRun(run)
            } catch {
                logger.error("backup: its outcome could not be recorded", metadata: ["error": "\(error)"])
            }
        }
        lastRun = run
        return run
    }

    /// The newest recorded run, from the history when this process has made none yet.
    public func latest() async -> BatchRun? {
        if let lastRun { return lastRun }
        await closeAbandonedRuns()
        return try? await store.stats.runs(job: Self.job, limit: 1).first
    }

    /// Only this process copies its own file: a run still `running` before its first is a
    /// predecessor's that died, and is shown as interrupted from the start.
    private func closeAbandonedRuns() async {
        guard !closedAbandoned else { return }
        do {
            _ = try await store.stats.closeAbandonedRuns(job: Self.job, reason: Self.abandonedReason)
            closedAbandoned = true
        } catch {
            logger.warning("backup: runs a previous process left could not be closed yet", metadata: ["error": "\(error)"])
        }
    }
}
