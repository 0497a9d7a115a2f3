import Logging
import TriageControlAPI

/// Re-reads the configuration (SIGHUP, `triagectl reload`), applies what can
/// change at runtime and names what needs a restart. Serialised by the actor,
/// so two reloads never interleave.
public actor Reloader {
    private let sources: ConfigurationSources
    private let holder: SettingsHolder
    private let levelControl: LogLevelControl
    private let notifier: any SystemdNotifier
    private let readiness: ReadinessTracker
    private let logger: Logger

    public init(
        sources: ConfigurationSources, holder: SettingsHolder, levelControl: LogLevelControl,
        notifier: any SystemdNotifier, readiness: ReadinessTracker, logger: Logger
    ) {
        self.sources = sources
        self.holder = holder
        self.levelControl = levelControl
        self.notifier = notifier
        self.readiness = readiness
        self.logger = logger
    }

    /// Returns once the new configuration is in force. On an invalid file the
    /// old configuration stays and the error is thrown.
    public func reload() throws(ConfigurationError) -> ReloadResponse {
        notifier.reloading(status: "Reloading configuration")
        logger.notice("reloading configuration from \(sources.configFile ?? "flags and environment only (no file)")")
        defer { notifier.ready(status: readiness.readyStatus()) }

        let new: Settings
        do {
            new = try SettingsLoader().load(from: sources)
        } catch {
            logger.error("reload failed, the previous configuration stays: \(error)", metadata: ["error": "\(error)"])
            throw error
        }
        let old = holder.current
        let changed = new.changedKeys(comparedTo: old)
        let restartRequired = changed.filter(\.requiresRestart)
        let effective = new.keepingRestartOnlyValues(of: old)
        holder.replace(with: effective)
        levelControl.set(new.logLevel)

        let applied = changed.filter { !$0.requiresRestart }.map(\.rawValue)
        if !restartRequired.isEmpty {
            let keys = restartRequired.map(\.rawValue).joined(separator: ", ")
            logger.warning("changed settings take effect only after a restart: \(keys)", metadata: ["keys": "\(keys)"])
        }
        let appliedText = applied.isEmpty ? "no changed setting" : applied.joined(separator: ", ")
        logger.notice(
            "configuration reloaded: applied \(appliedText); log level \(new.logLevel)",
            metadata: ["applied": "\(applied.joined(separator: ","))", "logLevel": "\(new.logLevel)"]
        )
        return ReloadResponse(applied: applied, restartRequired: restartRequired.map(\.rawValue), logLevel: new.logLevel.rawValue)
    }
}
