import Hummingbird

/// The control socket's router: credentials first, then problems, then routes.
struct ControlRouterBuilder {
    let status: StatusReporter
    let levelControl: LogLevelControl
    let reloader: Reloader
    let tracker: TrackerServices
    let batch: DailyStatsBatch
    let caches: CacheRegistry
    let breaker: CircuitBreaker
    let liveStats: LiveDailyStats

    func build() -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: PeerCredentialsMiddleware())
        ControlController(status: status, levelControl: levelControl, reloader: reloader).addRoutes(to: router)
        ControlUserController(tracker: tracker).addRoutes(to: router)
        ControlCacheController(caches: caches, cluster: tracker.cluster).addRoutes(to: router)
        ControlExternalController(breaker: breaker).addRoutes(to: router)
        ControlBatchController(batch: batch, store: tracker.store, settings: tracker.settings, clock: tracker.clock).addRoutes(to: router)
        ControlStatsController(live: liveStats, settings: tracker.settings).addRoutes(to: router)
        ControlBackupController(store: tracker.store, settings: tracker.settings).addRoutes(to: router)
        return router
    }
}
