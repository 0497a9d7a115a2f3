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
        hits = registry.makeCounter(name: "triage_cache_hits_total", labels: labels, help: "Lookups answered from the cache.")
        misses = registry.makeCounter(name: "triage_cache_misses_total", labels: labels, help: "Lookups that had to wait for a load.")
        loads = registry.makeCounter(name: "triage_cache_loads_total", labels: labels, help: "Loads that succeeded.")
        loadFailures = registry.makeCounter(name: "triage_cache_load_failures_total", labels: labels, help: "Loads that failed.")
        loadSeconds = registry.makeCounter(name: "triage_cache_load_seconds_total", labels: labels, help: "Time spent in successful loads.")
        evictions = registry.makeCounter(name: "triage_cache_evictions_total", labels: labels, help: "Entries dropped by eviction or flush.")
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
