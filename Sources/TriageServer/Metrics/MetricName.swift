import Prometheus

extension MetricNameDescriptor {
    /// Our metric names are written out whole (`triage_cache_hits_total`), as
    /// they appear in `/metrics` and the README; swift-prometheus composes a
    /// descriptor's name from parts, so the whole name is the metric part.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

extension PrometheusCollectorRegistry {
    /// One counter per value of `label`, all under one name: a count "by outcome" or "by reason".
    func makeCounters<Value: Hashable>(
        _ name: String, help: String, label: String, values: some Sequence<Value>, spelled: (Value) -> String
    ) -> [Value: Counter] {
        let descriptor = MetricNameDescriptor.named(name, help: help)
        var counters: [Value: Counter] = [:]
        for value in values {
            counters[value] = makeCounter(descriptor: descriptor, labels: [(label, spelled(value))])
        }
        return counters
    }

    func makeCounters<Value: Hashable & RawRepresentable<String>>(
        _ name: String, help: String, label: String, values: some Sequence<Value>
    ) -> [Value: Counter] {
        makeCounters(name, help: help, label: label, values: values, spelled: \.rawValue)
    }
}
