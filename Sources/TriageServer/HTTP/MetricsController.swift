import Hummingbird
import Prometheus

/// `/metrics` in the Prometheus text format.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let processMetrics: ProcessMetrics
    let liveStats: LiveDailyStats

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.metrics) { _, _ in
            processMetrics.update()
            await liveStats.refreshGauges()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
