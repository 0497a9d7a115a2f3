import Prometheus

extension MetricNameDescriptor {
    /// Our metric names are written out whole (`triage_cache_hits_total`), as
    /// they appear in `/metrics` and the README; swift-prometheus composes a
    /// descriptor's name from parts, so the whole name is the metric part.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
