import Prometheus

/// Today's live counts as gauges, so a Grafana that scrapes /metrics charts
/// them without the dashboard. Set each time today is counted.
struct TodayStatsGauges: Sendable {
    private let created: Gauge
    private let resolved: Gauge
    private let comments: Gauge

    init(registry: PrometheusCollectorRegistry) {
        created = registry.makeGauge(descriptor: .named(
            "triage_stats_today_created", help: "Issues created today so far (stats.timezone), counted at most stats.liveTtl ago."
        ))
        resolved = registry.makeGauge(descriptor: .named(
            "triage_stats_today_resolved", help: "Issues resolved or closed today so far (stats.timezone), counted at most stats.liveTtl ago."
        ))
        comments = registry.makeGauge(descriptor: .named(
            "triage_stats_today_comments", help: "Comments written today so far (stats.timezone), counted at most stats.liveTtl ago."
        ))
    }

    func show(_ counts: DayCounts) {
        created.set(Double(counts.created))
        resolved.set(Double(counts.resolved))
        comments.set(Double(counts.comments))
    }
}
