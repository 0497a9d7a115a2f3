import NIOCore

extension TrackerServices {
    /// The tracker's services over the dependencies: bcrypt behind its bounded
    /// queue, the user directory, tokens, throttles and the popular-issues cache.
    static func build(settings holder: SettingsHolder, _ dependencies: TriageDependencies) async -> TrackerServices {
        let clock = dependencies.clock
        let elapsed = dependencies.elapsed
        let store = dependencies.store
        let authMetrics = AuthMetrics(registry: dependencies.metrics)
        let hasher = BoundedPasswordHasher(
            base: dependencies.hasher, metrics: authMetrics, capacity: { holder.current.authHashQueue }
        )
        let popularCache = Cache<ByteBuffer>(
            name: PopularIssues.cacheName, clock: elapsed, timeToLive: { holder.current.popularCacheTTL },
            metrics: CacheMetrics(registry: dependencies.metrics, cache: PopularIssues.cacheName), logger: dependencies.logger
        )
        let liveStats = LiveDailyStats(
            cache: Cache(
                name: LiveDailyStats.cacheName, clock: elapsed, timeToLive: { holder.current.statsLiveTTL },
                metrics: CacheMetrics(registry: dependencies.metrics, cache: LiveDailyStats.cacheName), logger: dependencies.logger
            ),
            finishedHours: Cache(
                name: LiveDailyStats.finishedHoursCacheName, clock: elapsed, timeToLive: { LiveDailyStats.finishedHoursLifetime },
                metrics: CacheMetrics(registry: dependencies.metrics, cache: LiveDailyStats.finishedHoursCacheName), logger: dependencies.logger
            ),
            stats: store.stats, clock: clock, settings: holder, gauges: TodayStatsGauges(registry: dependencies.metrics),
            logger: dependencies.logger
        )
        return TrackerServices(
            store: store,
            directory: UserDirectory(repository: store.users, clock: elapsed),
            tokens: await TokenService(secret: dependencies.jwtSecret, clock: clock, lifetime: { holder.current.tokenLifetime }),
            hasher: hasher,
            throttle: LoginThrottle(clock: elapsed),
            attempts: AddressRateLimiter(clock: elapsed) { holder.current.authAttempts },
            authMetrics: authMetrics,
            clock: clock,
            settings: holder,
            decoy: DecoyHash(hasher: hasher),
            popular: PopularIssues(cache: popularCache, issues: store.issues, clock: clock),
            liveStats: liveStats,
            views: IssueViews(issues: store.issues, logger: dependencies.logger),
            cluster: store.clusterBroadcaster(sender: dependencies.instance)
        )
    }
}
