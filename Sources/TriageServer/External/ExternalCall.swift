import Logging

/// The external call's parts that routes, status and the control API share:
/// one breaker and one last-known-good body per process.
struct ExternalCall: Sendable {
    let client: ExternalClient
    let breaker: CircuitBreaker
    let lastGood: LastKnownGood

    init(settings holder: SettingsHolder, _ dependencies: TriageDependencies) {
        let metrics = ExternalMetrics(registry: dependencies.metrics)
        metrics.breaker(.closed)
        breaker = CircuitBreaker(
            clock: dependencies.elapsed, policy: { holder.current.externalCall.breaker },
            logger: dependencies.logger, onTransition: { metrics.breaker($0) }
        )
        lastGood = LastKnownGood(store: dependencies.store.externalSnapshots)
        client = ExternalClient(
            upstream: dependencies.upstream, breaker: breaker, lastGood: lastGood, clock: dependencies.elapsed, wallClock: dependencies.clock,
            policy: { holder.current.externalCall.client }, metrics: metrics, logger: dependencies.logger
        )
    }
}
