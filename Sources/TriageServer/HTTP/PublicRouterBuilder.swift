import Hummingbird
import Prometheus

/// Every public route and the middleware in front of them.
struct PublicRouterBuilder {
    let readiness: ReadinessTracker
    let store: any Store
    let storeTimeout: Duration
    let metricsRegistry: PrometheusCollectorRegistry
    let requestMetrics: RequestMetricHandles
    let processMetrics: ProcessMetrics
    let tracker: TrackerServices
    let liveStats: LiveDailyStats
    let external: ExternalClient
    let routes: PublicRoutes

    func build() -> Router<TriageRequestContext> {
        let router = Router(context: TriageRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestMetricsMiddleware(handles: requestMetrics))
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        let declared = DeclaredRouter(router: router, authenticator: Authenticator(tokens: tracker.tokens, directory: tracker.directory))
        HealthController(readiness: readiness, store: store, storeTimeout: storeTimeout).addRoutes(to: declared, routes)
        MetricsController(registry: metricsRegistry, processMetrics: processMetrics, liveStats: liveStats).addRoutes(to: declared, routes)
        OpenAPIController().addRoutes(to: declared, routes)
        DashboardController(settings: tracker.settings).addRoutes(to: declared, routes)
        AuthController(services: tracker).addRoutes(to: declared, routes)
        UserController(services: tracker).addRoutes(to: declared, routes)
        IssueController(services: tracker).addRoutes(to: declared, routes)
        CommentController(services: tracker).addRoutes(to: declared, routes)
        StatsController(live: liveStats).addRoutes(to: declared, routes)
        ExternalController(client: external, clock: tracker.clock).addRoutes(to: declared, routes)
        return router
    }
}
