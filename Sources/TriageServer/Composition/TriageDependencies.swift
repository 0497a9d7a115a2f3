import Foundation
import Logging
import Prometheus

/// What the application is built from: the seams the daemon fills from the
/// machine (`Daemon`) and a test fills with doubles (a manual clock, a
/// scripted upstream, a recording notifier, the cheapest bcrypt).
public struct TriageDependencies: Sendable {
    public var store: any Store
    /// Dates: when things happened, token expiry, the cron's fires.
    public var clock: any WallClock
    /// Intervals: TTLs, cool-downs, lockouts, retry delays (`ElapsedClock`).
    public var elapsed: any ElapsedClock
    public var upstream: any Upstream
    public var notifier: any SystemdNotifier
    /// Hashes new passwords and checks logins; the application bounds its queue.
    public var hasher: any PasswordHasher
    public var jwtSecret: String
    /// Where a reload reads the configuration again.
    public var sources: ConfigurationSources
    public var levelControl: LogLevelControl
    public var metrics: PrometheusCollectorRegistry
    public var logger: Logger
    /// `host:pid`: the name batch runs and locks are recorded under.
    public var instance: String
    public var startedAt: Date
}
