import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The composition root of `triaged`: opens the store, builds both listeners
/// and runs everything in one ServiceGroup until SIGTERM/SIGINT.
public struct Daemon: Sendable {
    public let sources: ConfigurationSources
    public let settings: Settings
    public let levelControl: LogLevelControl
    public let notifier: any SystemdNotifier
    public let metricsRegistry: PrometheusCollectorRegistry
    public let logger: Logger

    public init(
        sources: ConfigurationSources, settings: Settings, levelControl: LogLevelControl,
        notifier: any SystemdNotifier, metricsRegistry: PrometheusCollectorRegistry, logger: Logger
    ) {
        self.sources = sources
        self.settings = settings
        self.levelControl = levelControl
        self.notifier = notifier
        self.metricsRegistry = metricsRegistry
        self.logger = logger
    }

    public func run() async throws {
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

    private func serve(store: any Store, startedAt: Date) async throws {
        let holder = SettingsHolder(settings)
        let tracker = try await makeTrackerServices(store: store, holder: holder)
        let batch = DailyStatsBatch(
            repository: store.stats, settings: holder, clock: tracker.clock, instance: Self.instanceID,
            metrics: StatsMetrics(registry: metricsRegistry), logger: logger
        )
        let schedulerState = SchedulerState()
        let external = await makeExternal(store: store, holder: holder, clock: tracker.clock)
        let readiness = ReadinessTracker(notifier: notifier, logger: logger)
        let watchdogState = WatchdogState(interval: notifier.watchdogInterval)
        let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let reloader = Reloader(
            sources: sources, holder: holder, levelControl: levelControl,
            notifier: notifier, readiness: readiness, logger: logger
        )
        let status = StatusReporter(
            startedAt: startedAt, instance: Self.instanceID, settings: holder, readiness: readiness,
            levelControl: levelControl, store: store, watchdog: watchdogState, batch: batch, scheduler: schedulerState,
            breaker: external.breaker, lastGood: external.lastGood
        )

        let publicApp = makePublicApp(
            store: store, tracker: tracker, external: external, readiness: readiness, startedAt: startedAt, eventLoopGroup: eventLoopGroup
        )

        let caches = CacheRegistry([tracker.popular.cache])
        let clusterHandler = ClusterEventHandler(caches: caches, directory: tracker.directory, logger: logger)
        let clusterListener = store.clusterListener(sender: Self.instanceID) { await clusterHandler.handle($0) }

        let socketPath = settings.controlSocket
        let controlApp = Application(
            router: ControlRouterBuilder(
                status: status, levelControl: levelControl, reloader: reloader, tracker: tracker, batch: batch,
                caches: caches, breaker: external.breaker
            ).build(),
            configuration: .init(address: .unixDomainSocket(path: socketPath)),
            onServerRunning: { [logger] _ in
                // The umask decided the mode at bind time; tighten it before READY.
                if chmod(socketPath, 0o660) != 0 {
                    logger.error("cannot set the control socket's mode", metadata: ["path": "\(socketPath)", "errno": "\(errno)"])
                }
                readiness.listenerIsRunning(.control, address: socketPath)
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger.with(listener: "control")
        )

        var checks: [any HealthCheck] = [
            EventLoopHealthCheck(group: eventLoopGroup),
            SchedulerHealthCheck(state: schedulerState, batch: batch, clock: tracker.clock),
        ]
        if store.isLocal { checks.append(StoreHealthCheck(store: store)) }
        let watchdog = WatchdogService(
            notifier: notifier, checks: checks, clock: ContinuousClock(), state: watchdogState, logger: logger
        )

        // A remote database's outages show in STATUS=; an embedded one's are the watchdog's business.
        let availability: (any Service)? = store.isLocal ? nil : StoreAvailabilityMonitor(
            store: store, readiness: readiness, notifier: notifier, clock: ContinuousClock(), logger: logger
        )
        // The store's pool comes first so that it stops last, after every request that needs it.
        let storeServices: [ServiceGroupConfiguration.ServiceConfiguration] = [store.service, clusterListener, availability]
            .compactMap { $0 }.map { .init(service: $0) }
        let group = ServiceGroup(
            configuration: .init(
                services: storeServices + [
                    .init(service: ReloadSignalService(reloader: reloader, logger: logger)),
                    .init(service: watchdog),
                    .init(service: external.upstream),
                    .init(service: DailyStatsScheduler(batch: batch, settings: holder, clock: tracker.clock, state: schedulerState, logger: logger)),
                    .init(service: controlApp),
                    .init(service: publicApp),
                    .init(service: StoppingNotifierService(notifier: notifier)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { ControlSocketGuard.removeOnShutdown(path: socketPath) }
        try await group.run()
    }

    /// The public listener: the router, with the immediate path for cached hits in front of it.
    private func makePublicApp(
        store: any Store, tracker: TrackerServices, external: ExternalParts, readiness: ReadinessTracker, startedAt: Date,
        eventLoopGroup: any EventLoopGroup
    ) -> some Service {
        let requestMetrics = RequestMetricHandles(registry: metricsRegistry)
        let immediate = PopularImmediateResponder(
            popular: tracker.popular, tokens: tracker.tokens, directory: tracker.directory,
            logsRequests: { [levelControl] in levelControl.current <= .debug }
        )
        let dateHeader = HTTPDateHeader(clock: tracker.clock)
        let connectionMetrics = ConnectionMetrics(registry: metricsRegistry)
        let descriptors = DescriptorLimit.current()
        let connections = ConnectionPolicy(
            registry: ConnectionRegistry(metrics: connectionMetrics) { [holder = tracker.settings] in
                ConnectionLimit.effective(configured: holder.current.httpMaxConnections, descriptorLimit: descriptors)
            },
            metrics: connectionMetrics,
            timeouts: { [holder = tracker.settings] in ConnectionTimeouts(settings: holder.current) }
        )
        logger.info(
            "at most \(ConnectionLimit.effective(configured: settings.httpMaxConnections, descriptorLimit: descriptors)) public connections (descriptor limit \(descriptors))"
        )
        var publicApp = Application(
            router: PublicRouterBuilder(
                readiness: readiness, store: store, storeTimeout: .seconds(1), metricsRegistry: metricsRegistry,
                requestMetrics: requestMetrics, processMetrics: ProcessMetrics(registry: metricsRegistry, startedAt: startedAt),
                tracker: tracker, external: external.client
            ).build(),
            server: .http1(idleTimeout: .fromSeconds(settings.httpIdleTimeout), connections: connections, immediateResponses: {
                ImmediateResponseHandler(responder: immediate, metrics: requestMetrics, date: dateHeader, serverName: "triaged")
            }),
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "triaged"),
            onServerRunning: { channel in
                readiness.listenerIsRunning(.http, address: ReadinessTracker.describe(channel.localAddress))
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger.with(listener: "http")
        )
        // Before the listener binds (so before READY), and once the store's pool runs.
        publicApp.beforeServerStarts { [settings, logger] in
            do {
                try await external.lastGood.load(url: settings.externalURL)
            } catch {
                logger.warning(
                    "cannot read the last good upstream body; falling back to the default until a call succeeds", metadata: ["error": "\(error)"]
                )
            }
        }
        return publicApp
    }

    private func makeTrackerServices(store: any Store, holder: SettingsHolder) async throws -> TrackerServices {
        let clock = SystemWallClock()
        let secret = try JWTSecretStore.secret(
            configured: settings.jwtSecret,
            stateDirectory: sources.stateDirectory ?? ConfigurationSources.fallbackDataDirectory
        )
        let authMetrics = AuthMetrics(registry: metricsRegistry)
        let hasher = BoundedPasswordHasher(
            base: BcryptPasswordHasher(cost: UInt8(settings.bcryptCost)), metrics: authMetrics, capacity: { holder.current.authHashQueue }
        )
        let popularCache = Cache<ByteBuffer>(
            name: PopularIssues.cacheName, clock: clock, timeToLive: { holder.current.popularCacheTTL },
            metrics: CacheMetrics(registry: metricsRegistry, cache: PopularIssues.cacheName), logger: logger
        )
        return TrackerServices(
            store: store,
            directory: UserDirectory(repository: store.users, clock: clock),
            tokens: await TokenService(secret: secret, clock: clock, lifetime: { holder.current.tokenLifetime }),
            hasher: hasher,
            throttle: LoginThrottle(clock: clock),
            attempts: AddressRateLimiter(clock: clock) { holder.current.authAttempts },
            authMetrics: authMetrics,
            clock: clock,
            settings: holder,
            decoy: DecoyHash(hasher: hasher),
            popular: PopularIssues(cache: popularCache, issues: store.issues, clock: clock),
            cluster: store.clusterBroadcaster(sender: Self.instanceID)
        )
    }

    /// The external call's pieces the daemon wires into routes, status and services.
    private struct ExternalParts {
        let client: ExternalClient
        let breaker: CircuitBreaker
        let lastGood: LastKnownGood
        let upstream: HTTPClientUpstream
    }

    private func makeExternal(store: any Store, holder: SettingsHolder, clock: any WallClock) async -> ExternalParts {
        let upstream = HTTPClientUpstream(
            connectTimeout: settings.externalConnectTimeout, readTimeout: settings.externalReadTimeout,
            writeTimeout: settings.externalWriteTimeout, followRedirects: { holder.current.externalFollowRedirects }
        )
        let metrics = ExternalMetrics(registry: metricsRegistry)
        metrics.breaker(.closed)
        let breaker = CircuitBreaker(
            clock: clock,
            policy: { holder.current.breakerPolicy },
            logger: logger, onTransition: { metrics.breaker($0) }
        )
        let lastGood = LastKnownGood(store: store.externalSnapshots)
        let client = ExternalClient(
            upstream: upstream, breaker: breaker, lastGood: lastGood, clock: clock,
            policy: {
                let current = holder.current
                return ExternalClient.Policy(
                    url: current.externalURL,
                    attemptTimeout: current.externalConnectTimeout + current.externalWriteTimeout + current.externalReadTimeout,
                    retries: current.externalRetries, retryDelay: current.externalRetryDelay, deadline: current.externalDeadline
                )
            },
            metrics: metrics, logger: logger
        )
        return ExternalParts(client: client, breaker: breaker, lastGood: lastGood, upstream: upstream)
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
            return try SQLiteStore.open(path: path, busyTimeout: settings.databaseTimeout, logger: logger)
        case .postgres(let location):
            notifier.status("Starting: connecting to \(PostgresStore.describe(location)) and migrating")
            return try await PostgresStore.open(location, timeout: settings.databaseTimeout, instance: Self.instanceID, logger: logger)
        }
    }

    /// `host:pid`, the instance name runs and locks are recorded under.
    static var instanceID: String {
        "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }
}

extension Logger {
    func with(listener: String) -> Logger {
        var copy = self
        copy[metadataKey: "listener"] = .string(listener)
        return copy
    }
}
