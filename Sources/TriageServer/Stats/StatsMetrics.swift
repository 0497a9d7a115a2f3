import Foundation
import Prometheus

/// Prometheus view of the batch: runs by outcome, the last success and how long the last run took.
public struct StatsMetrics: Sendable {
    private let runs: [RunOutcome: Counter]
    private let failedDays: Counter
    private let lastSuccess: Gauge
    private let lastDuration: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        runs = registry.makeCounters(
            "triage_daily_stats_runs_total", help: "Runs of the daily statistics batch, by outcome.",
            label: "outcome", values: [RunOutcome.done, .skipped, .failed, .interrupted]
        )
        failedDays = registry.makeCounter(
            descriptor: .named("triage_daily_stats_failed_days_total", help: "Days whose aggregation failed.")
        )
        lastSuccess = registry.makeGauge(
            descriptor: .named("triage_daily_stats_last_success_timestamp_seconds", help: "When a run last finished without a failed day.")
        )
        lastDuration = registry.makeGauge(
            descriptor: .named("triage_daily_stats_last_duration_seconds", help: "How long the last run took.")
        )
    }

    func record(_ run: BatchRun, failedDays count: Int) {
        runs[run.outcome]?.increment()
        if count > 0 { failedDays.increment(by: Int64(count)) }
        lastDuration.set(run.durationSeconds)
        if run.outcome == .done {
            lastSuccess.set(run.startedAt.addingTimeInterval(run.durationSeconds).timeIntervalSince1970)
        }
    }
}
