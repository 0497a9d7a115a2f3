import Foundation
import Logging
import Metrics
import Prometheus
import TriageControlAPI

/// Process-level start of `triaged`: validate the configuration, install the
/// process-wide logging and metrics backends (once, here, never in tests),
/// run the daemon and turn the outcome into an exit code.
public enum DaemonLauncher {
    public enum ExitStatus: Int32 {
        case ok = 0
        case failure = 1
        case configuration = 78  // EX_CONFIG
    }

    public static func launch(flags: [SettingKey: String], configFile: String?) async -> ExitStatus {
        let sources = ConfigurationSources(
            flags: flags, environment: ProcessInfo.processInfo.environment, explicitConfigFile: configFile
        )
        // SIGHUP's default action is to terminate: ignore it until the reload service
        // traps it, so an early `systemctl reload` cannot kill a starting daemon.
        signal(SIGHUP, SIG_IGN)
        let notifier = LibsystemdNotifier()
        let settings: Settings
        do {
            settings = try SettingsLoader().load(from: sources)
        } catch {
            reportConfigurationProblem(error, notifier: notifier)
            return .configuration
        }

        let levelControl = LogLevelControl(settings.logLevel)
        let destination = LogDestination.detect(environment: sources.environment)
        LoggingSystem.bootstrap { label in destination.makeHandler(label: label, levelControl: levelControl) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "triaged")
        if let raise = DescriptorLimit.raiseSoftToHard() {
            logger.info("open-descriptor limit raised from \(raise.from) to \(raise.to) (the hard limit)", metadata: [
                "from": "\(raise.from)", "to": "\(raise.to)",
            ])
        }
        if !HeapTrim.keepFreedMemoryForReuse() {
            logger.notice("glibc's heap trim threshold could not be set: bursts of requests will run slower")
        }
        logger.info("starting triaged \(TriageVersion.current) on \(settings.database.redactedDescription)", metadata: ["version": "\(TriageVersion.current)", "store": "\(settings.database.redactedDescription)"])

        let daemon = Daemon(
            sources: sources, settings: settings, levelControl: levelControl,
            notifier: notifier, metricsRegistry: registry, logger: logger
        )
        do {
            try await daemon.run()
            return .ok
        } catch {
            if let problem = StartupFailure.configurationProblem(in: error, settings: settings) {
                reportConfigurationProblem(problem, notifier: notifier)
                return .configuration
            }
            logger.critical("triaged failed", metadata: ["error": "\(error)"])
            notifier.status("Failed: \(error)")
            return .failure
        }
    }

    /// One line on stderr naming the key, and the same for `systemctl status`.
    private static func reportConfigurationProblem(_ error: ConfigurationError, notifier: any SystemdNotifier) {
        FileHandle.standardError.write(Data("triaged: \(error)\n".utf8))
        notifier.status("Failed: \(error)")
    }
}
