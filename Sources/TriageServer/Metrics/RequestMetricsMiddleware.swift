import Hummingbird
import Prometheus
import Synchronization

/// Request count and duration by method, route template and status. The
/// Prometheus handles are looked up once per combination and kept, so a
/// request costs a dictionary lookup and two atomic updates rather than a
/// registry lookup per metric (Hummingbird's MetricsMiddleware).
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let handles: RequestMetricHandles

    /// `handles` are shared with the immediate-response fast path, so both count into the same series.
    init(handles: RequestMetricHandles) {
        self.handles = handles
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            handles.record(method: request.method.rawValue, route: context.endpointPath, status: response.status.code, duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            handles.record(method: request.method.rawValue, route: context.endpointPath, status: status, duration: ContinuousClock.now - started)
            throw error
        }
    }
}

final class RequestMetricHandles: Sendable {
    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    /// One method/route/status combination's counter and histogram.
    private struct Series {
        let count: Counter
        let duration: DurationHistogram

        func record(_ elapsed: Duration) {
            count.increment()
            duration.record(elapsed)
        }
    }

    private let registry: PrometheusCollectorRegistry
    private let cache = Mutex<[Key: Series]>([:])
    static let buckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func record(method: String, route: String?, status: Int, duration: Duration) {
        series(method: method, route: route, status: status).record(duration)
    }

    private func series(method: String, route: String?, status: Int) -> Series {
        // Unmatched paths share one label so random URLs cannot grow the metric set.
        let key = Key(method: method, route: route ?? "unmatched", status: status)
        return cache.withLock { cache in
            if let known = cache[key] { return known }
            let labels = [("method", key.method), ("route", key.route), ("status", String(status))]
            let made = Series(
                count: registry.makeCounter(
                    descriptor: .named("http_server_requests_total", help: "HTTP requests answered."), labels: labels
                ),
                duration: registry.makeDurationHistogram(
                    descriptor: .named("http_server_request_duration_seconds", help: "Time to answer HTTP requests."),
                    labels: labels, buckets: Self.buckets
                )
            )
            cache[key] = made
            return made
        }
    }
}
