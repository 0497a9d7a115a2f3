import Prometheus

/// Calls by outcome, attempts, retries and the breaker's state.
public struct ExternalMetrics: Sendable {
    private let calls: [String: Counter]
    private let attempts: Counter
    private let retries: Counter
    private let breakerState: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        calls = registry.makeCounters(
            "triage_external_calls_total", help: "Calls of the external API, by outcome.",
            label: "outcome", values: ["success", "failure", "open-circuit"], spelled: { $0 }
        )
        attempts = registry.makeCounter(descriptor: .named("triage_external_attempts_total", help: "HTTP attempts made to the upstream."))
        retries = registry.makeCounter(descriptor: .named("triage_external_retries_total", help: "Attempts that were retried."))
        breakerState = registry.makeGauge(descriptor: .named("triage_external_breaker_state", help: "0 closed, 1 half-open, 2 open."))
    }

    func call(outcome: String) { calls[outcome]?.increment() }
    func attempt() { attempts.increment() }
    func retry() { retries.increment() }

    public func breaker(_ state: CircuitBreaker.State) {
        switch state {
        case .closed: breakerState.set(to: 0.0)
        case .halfOpen: breakerState.set(to: 1.0)
        case .open: breakerState.set(to: 2.0)
        }
    }
}
