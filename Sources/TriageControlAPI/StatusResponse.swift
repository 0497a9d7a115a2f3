import Foundation

/// `GET /v1/status`: what an operator needs to see at a glance.
public struct StatusResponse: Codable, Sendable, Equatable {
    public var version: String
    public var pid: Int32
    public var instance: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var ready: Bool
    public var httpAddress: String
    public var controlSocket: String
    public var logLevel: String
    public var store: StoreStatus
    public var watchdog: WatchdogStatus
    public var scheduler: SchedulerStatus
    public var backup: BackupStatus
    public var external: ExternalStatus

    public init(
        version: String, pid: Int32, instance: String, startedAt: Date, uptimeSeconds: Double,
        ready: Bool, httpAddress: String, controlSocket: String, logLevel: String,
        store: StoreStatus, watchdog: WatchdogStatus, scheduler: SchedulerStatus, backup: BackupStatus, external: ExternalStatus
    ) {
        self.version = version
        self.pid = pid
        self.instance = instance
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.ready = ready
        self.httpAddress = httpAddress
        self.controlSocket = controlSocket
        self.logLevel = logLevel
        self.store = store
        self.watchdog = watchdog
        self.scheduler = scheduler
        self.backup = backup
        self.external = external
    }
}

public struct StoreStatus: Codable, Sendable, Equatable {
    /// `sqlite` or `postgres`.
    public var kind: String
    /// Where the data lives, without credentials.
    public var location: String
    public var reachable: Bool
    public var schemaVersion: String
    public var error: String?

    public init(kind: String, location: String, reachable: Bool, schemaVersion: String, error: String? = nil) {
        self.kind = kind
        self.location = location
        self.reachable = reachable
        self.schemaVersion = schemaVersion
        self.error = error
    }
}

public struct WatchdogStatus: Codable, Sendable, Equatable {
    public var enabled: Bool
    public var intervalSeconds: Double?
    public var lastPingAt: Date?
    public var lastProbeError: String?

    public init(enabled: Bool, intervalSeconds: Double? = nil, lastPingAt: Date? = nil, lastProbeError: String? = nil) {
        self.enabled = enabled
        self.intervalSeconds = intervalSeconds
        self.lastPingAt = lastPingAt
        self.lastProbeError = lastProbeError
    }
}

/// Scheduled backups (issue #18): the schedule, and the newest run of the history.
public struct BackupStatus: Codable, Sendable, Equatable {
    /// nil: no scheduled backups (`backup.cron` unset).
    public var cron: String?
    public var timeZone: String
    public var directory: String
    public var keep: Int
    public var nextRunAt: Date?
    public var running: Bool
    public var lastRun: BatchRunRecord?

    public init(cron: String?, timeZone: String, directory: String, keep: Int, nextRunAt: Date?, running: Bool, lastRun: BatchRunRecord?) {
        self.cron = cron
        self.timeZone = timeZone
        self.directory = directory
        self.keep = keep
        self.nextRunAt = nextRunAt
        self.running = running
        self.lastRun = lastRun
    }
}
