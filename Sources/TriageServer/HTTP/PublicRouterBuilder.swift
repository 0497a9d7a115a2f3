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
    let external: ExternalClient

    func build() -> Router<TriageRequestContext> {
        let router = Router(context: TriageRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestMetricsMiddleware(handles: requestMetrics))
        HealthController(readiness: readiness, store: store, storeTimeout: storeTimeout).addRoutes(to: router)
        MetricsController(registry: metricsRegistry, processMetrics: processMetrics).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)

        AuthController(services: tracker).addRoutes(to: router.group("api/auth"))
        let authenticated = router.group("api").add(middleware: AuthenticationMiddleware(tokens: tracker.tokens, directory: tracker.directory))
        UserController(services: tracker).addRoutes(to: authenticated.group("users"))
        let issues = authenticated.group("issues")
        IssueController(services: tracker).addRoutes(to: issues)
        let comments = CommentController(services: tracker)
        comments.addIssueRoutes(to: issues)
        comments.addCommentRoutes(to: authenticated.group("comments"))
        StatsController(store: store).addRoutes(to: authenticated.group("stats"))
        ExternalController(client: external, clock: tracker.clock).addRoutes(to: authenticated.group("external"))
        return router
    }
}
