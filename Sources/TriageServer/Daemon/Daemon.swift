import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The lifecycle of `triaged`: claims the control socket's path, opens the
/// store, builds the application (`TriageApplication.build`) over the
/// machine's dependencies and runs it in one ServiceGroup until SIGTERM/SIGINT.
struct Daemon: Sendable {
    let sources: ConfigurationSources
    let settings: Settings
    let levelControl: LogLevelControl
    let notifier: any SystemdNotifier
    let metricsRegistry: PrometheusCollectorRegistry
    let logger: Logger

    func run() async throws {
        let startedAt = Date()
        notifier.status("Starting: opening the store")
        try prepareControlSocketPath()
        let store = try await openStore()
        do {
            try await serve(store: store, startedAt: startedAt)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.notice("triaged stopped")
    }

    /// The application over the machine's dependencies, run in one ServiceGroup.
    private func serve(store: any Store, startedAt: Date) async throws {
        let holder = SettingsHolder(settings)
        let upstream = HTTPClientUpstream(policy: settings.externalCall, followRedirects: { holder.current.externalCall.followRedirects })
        let secret = try JWTSecretStore.secret(
            configured: settings.jwtSecret,
            stateDirectory: sources.stateDirectory ?? ConfigurationSources.fallbackDataDirectory
        )
        let clock = SystemWallClock()
        let app = await TriageApplication.build(settings: holder, TriageDependencies(
            store: store, clock: clock, elapsed: SystemElapsedClock(), upstream: upstream, notifier: notifier,
            hasher: BcryptPasswordHasher(cost: UInt8(settings.bcryptCost)), jwtSecret: secret, sources: sources,
            levelControl: levelControl, metrics: metricsRegistry, logger: logger, instance: InstanceID.current, startedAt: startedAt
        ))
        let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let clusterHandler = app.clusterHandler()
        let clusterListener = store.clusterListener(sender: InstanceID.current) { await clusterHandler.handle($0) }
        let watchdog = WatchdogService(
            notifier: notifier, checks: app.healthChecks(eventLoopGroup: eventLoopGroup), clock: ContinuousClock(),
            state: app.watchdog, logger: logger
        )
        // Outages and refused writes show in STATUS=; an embedded file that cannot be read is also the watchdog's business.
        let availability = StoreAvailabilityMonitor(
            store: store, readiness: app.readiness, notifier: notifier, clock: ContinuousClock(), logger: logger
        )
        let socketPath = settings.controlSocket
        // The store's pool comes first so that it stops last, after every request that needs it.
        let storeServices: [ServiceGroupConfiguration.ServiceConfiguration] = [store.service, clusterListener, availability as any Service]
            .compactMap { $0 }.map { .init(service: $0) }
        let group = ServiceGroup(
            configuration: .init(
                services: storeServices + [
                    // Stops after the servers (no view is counted after its last batch), before the store.
                    .init(service: app.issueViewsFlusher()),
                    .init(service: ReloadSignalService(reloader: app.reloader, logger: logger)),
                    .init(service: watchdog),
                    .init(service: upstream),
                    .init(service: app.dailyStatsScheduler()),
                    .init(service: app.backupScheduler()),
                    .init(service: app.controlServer(socketPath: socketPath, eventLoopGroup: eventLoopGroup)),
                    .init(service: app.publicServer(address: .hostname(settings.httpHost, port: settings.httpPort), eventLoopGroup: eventLoopGroup)),
                    .init(service: StoppingNotifierService(notifier: notifier)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { ControlSocketGuard.removeOnShutdown(path: socketPath) }
        try await StopDeadline(drainTimeout: .milliseconds(Int64(settings.httpDrainTimeout * 1000)), logger: logger).run(group)
    }

    /// Refuses to steal a live daemon's socket; makes the directory when missing.
    private func prepareControlSocketPath() throws(ConfigurationError) {
        let path = settings.controlSocket
        switch ControlSocketGuard.inspect(path: path) {
        case .free:
            break
        case .stale:
            logger.notice("replacing a stale control socket left by a previous daemon", metadata: ["path": "\(path)"])
        case .inUse:
            throw ConfigurationError(.controlSocket, "another daemon is already listening on \(path)")
        case .notASocket:
            throw ConfigurationError(.controlSocket, "\(path) exists and is not a socket; refusing to replace it")
        }
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750]
            )
        } catch {
            throw ConfigurationError(.controlSocket, "cannot create the directory \(directory): \(error.localizedDescription)")
        }
    }

    private func openStore() async throws -> any Store {
        switch settings.database {
        case .sqlite(let path):
            BackupScratch.sweep(besides: path)
            return try SQLiteStore.open(
                path: path, busyTimeout: settings.databaseTimeout, synchronous: settings.databaseSynchronous, logger: logger
            )
        case .postgres(let location):
            notifier.status("Starting: connecting to \(PostgresStore.describe(location)) and migrating")
            return try await PostgresStore.open(
                location, timeout: settings.databaseTimeout, instance: InstanceID.current, poolSize: settings.databasePoolSize, logger: logger
            )
        }
    }
}
