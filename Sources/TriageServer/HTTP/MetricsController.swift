import Hummingbird
import Prometheus

/// `/metrics` in the Prometheus text format.
struct MetricsController<Context: RequestContext> {
    let registry: PrometheusCollectorRegistry
    let processMetrics: ProcessMetrics

    func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { _, _ in
            processMetrics.update()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
