import Prometheus

/// The same numbers as `GET /v1/caches`, per cache, for Prometheus.
public struct CacheMetrics: Sendable {
    private let hits: Counter
    private let misses: Counter
    private let loads: Counter
    private let loadFailures: Counter
    private let loadSeconds: Counter
    private let evictions: Counter

    public init(registry: PrometheusCollectorRegistry, cache name: String) {
        let labels = [("cache", name)]
        hits = registry.makeCounter(descriptor: .named("triage_cache_hits_total", help: "Lookups answered from the cache."), labels: labels)
        misses = registry.makeCounter(
            descriptor: .named("triage_cache_misses_total", help: "Lookups that had to wait for a load."), labels: labels
        )
        loads = registry.makeCounter(descriptor: .named("triage_cache_loads_total", help: "Loads that succeeded."), labels: labels)
        loadFailures = registry.makeCounter(
            descriptor: .named("triage_cache_load_failures_total", help: "Loads that failed."), labels: labels
        )
        loadSeconds = registry.makeCounter(
            descriptor: .named("triage_cache_load_seconds_total", help: "Time spent in successful loads."), labels: labels
        )
        evictions = registry.makeCounter(
            descriptor: .named("triage_cache_evictions_total", help: "Entries dropped by eviction or flush."), labels: labels
        )
    }

    func hit() { hits.increment() }
    func miss() { misses.increment() }
    func loaded(seconds: Double) {
        loads.increment()
        loadSeconds.increment(by: seconds)
    }
    func loadFailed() { loadFailures.increment() }
    func evicted(_ count: Int) {
        if count > 0 { evictions.increment(by: Int64(count)) }
    }
}
