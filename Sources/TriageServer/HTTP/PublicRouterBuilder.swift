import Hummingbird
import Prometheus

/// Every public route and the middleware in front of them.
struct PublicRouterBuilder {
    let readiness: ReadinessTracker
    let store: any Store
    let storeTimeout: Duration
    let metricsRegistry: PrometheusCollectorRegistry
    let processMetrics: ProcessMetrics

    func build() -> Router<TriageRequestContext> {
        let router = Router(context: TriageRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())
        HealthController(readiness: readiness, store: store, storeTimeout: storeTimeout).addRoutes(to: router)
        MetricsController(registry: metricsRegistry, processMetrics: processMetrics).addRoutes(to: router)
        return router
    }
}
