import Foundation
import Hummingbird
import Logging
import NIOCore

/// The whole application, built in one place from settings and dependencies:
/// the daemon runs it under its lifecycle, the tests call the same `build`
/// with doubles and drive its routers, servers and services.
public struct TriageApplication: Sendable {
    public let settings: SettingsHolder
    public let dependencies: TriageDependencies
    let tracker: TrackerServices
    let batch: DailyStatsBatch
    let scheduler: SchedulerState
    let backups: ScheduledBackups
    let backupSchedule: BackupScheduleState
    let external: ExternalCall
    let readiness: ReadinessTracker
    let reloader: Reloader
    let caches: CacheRegistry
    let watchdog: WatchdogState
    let requestMetrics: RequestMetricHandles
    let processMetrics: ProcessMetrics
    let routes: PublicRoutes

    /// How long `/readyz` and `triagectl status` wait for the store to answer.
    static let storeProbeTimeout: Duration = .seconds(1)

    /// `settings` is shared with whatever else reads the live configuration (the upstream's redirect rule).
    /// `routes` are the public routes' declarations (a test may change a rule).
    static func build(settings holder: SettingsHolder, _ dependencies: TriageDependencies, routes: PublicRoutes) async -> TriageApplication {
        let readiness = ReadinessTracker(notifier: dependencies.notifier, logger: dependencies.logger)
        let tracker = await TrackerServices.build(settings: holder, dependencies)
        return TriageApplication(
            settings: holder,
            dependencies: dependencies,
            tracker: tracker,
            batch: DailyStatsBatch(
                repository: dependencies.store.stats, settings: holder, clock: dependencies.clock, instance: dependencies.instance,
                metrics: StatsMetrics(registry: dependencies.metrics), logger: dependencies.logger
            ),
            scheduler: SchedulerState(clock: dependencies.elapsed),
            backups: ScheduledBackups(
                store: dependencies.store, settings: holder, clock: dependencies.clock, instance: dependencies.instance, logger: dependencies.logger
            ),
            backupSchedule: BackupScheduleState(),
            external: ExternalCall(settings: holder, dependencies),
            readiness: readiness,
            reloader: Reloader(
                sources: dependencies.sources, holder: holder, levelControl: dependencies.levelControl,
                notifier: dependencies.notifier, readiness: readiness, logger: dependencies.logger
            ),
            caches: CacheRegistry([tracker.popular.cache, tracker.liveStats.cache, tracker.liveStats.finishedHours]),
            watchdog: WatchdogState(interval: dependencies.notifier.watchdogInterval),
            requestMetrics: RequestMetricHandles(registry: dependencies.metrics),
            processMetrics: ProcessMetrics(registry: dependencies.metrics, startedAt: dependencies.startedAt),
            routes: routes
        )
    }

    public static func build(settings holder: SettingsHolder, _ dependencies: TriageDependencies) async -> TriageApplication {
        await build(settings: holder, dependencies, routes: PublicRoutes())
    }

    var store: any Store { dependencies.store }
    var liveStats: LiveDailyStats { tracker.liveStats }
    var logger: Logger { dependencies.logger }

    func publicRouter() -> Router<TriageRequestContext> {
        PublicRouterBuilder(
            readiness: readiness, store: store, storeTimeout: Self.storeProbeTimeout, metricsRegistry: dependencies.metrics,
            requestMetrics: requestMetrics, processMetrics: processMetrics, tracker: tracker, liveStats: liveStats, external: external.client,
            routes: routes
        ).build()
    }

    func controlRouter() -> Router<ControlRequestContext> {
        ControlRouterBuilder(
            status: statusReporter(), levelControl: dependencies.levelControl, reloader: reloader, tracker: tracker, batch: batch,
            caches: caches, breaker: external.breaker, liveStats: liveStats
        ).build()
    }

    func statusReporter() -> StatusReporter {
        StatusReporter(
            startedAt: dependencies.startedAt, instance: dependencies.instance, settings: settings, readiness: readiness,
            levelControl: dependencies.levelControl, store: store, storeTimeout: Self.storeProbeTimeout, watchdog: watchdog,
            batch: batch, scheduler: scheduler, backups: backups, backupSchedule: backupSchedule,
            breaker: external.breaker, lastGood: external.lastGood
        )
    }

    /// `GET /api/issues/popular`, and `GET /api/issues/{id}` and `GET /api/issues` on a store
    /// that reads without suspending, answered from the pipeline when the router would give
    /// the same bytes.
    func immediateResponder() -> ImmediateResponders {
        let gate = ImmediateGate(tokens: tracker.tokens, directory: tracker.directory) { [levelControl = dependencies.levelControl] in
            levelControl.current <= .debug
        }
        var responders: [any ImmediateResponder] = [PopularImmediateResponder(route: routes.popularIssues, popular: tracker.popular, gate: gate)]
        if let reads = store.issues as? any ImmediateIssueReads {
            responders.append(IssueImmediateResponder(route: routes.getIssue, views: tracker.views, reads: reads, gate: gate))
            responders.append(IssueListImmediateResponder(route: routes.listIssues, reads: reads, gate: gate))
        }
        return ImmediateResponders(responders: responders)
    }

    /// Applies cluster events from other instances to this one's caches and users.
    func clusterHandler() -> ClusterEventHandler {
        ClusterEventHandler(caches: caches, directory: tracker.directory, logger: logger)
    }

    /// Writes the issue views counted in memory, every second and at shutdown.
    func issueViewsFlusher() -> IssueViewsFlusher<ContinuousClock> {
        IssueViewsFlusher(views: tracker.views, clock: ContinuousClock())
    }

    func backupScheduler() -> BackupScheduler {
        BackupScheduler(backups: backups, settings: settings, clock: dependencies.clock, state: backupSchedule, logger: logger)
    }

    func dailyStatsScheduler() -> DailyStatsScheduler {
        DailyStatsScheduler(batch: batch, settings: settings, clock: dependencies.clock, state: scheduler, logger: logger)
    }

    /// What the watchdog sees answering before each ping.
    func healthChecks(eventLoopGroup: any EventLoopGroup) -> [any HealthCheck] {
        var checks: [any HealthCheck] = [
            HealthProbe.eventLoops(eventLoopGroup),
            SchedulerHealthCheck(state: scheduler, batch: batch),
        ]
        // A remote database's outages only show in STATUS= (StoreAvailabilityMonitor): a restart cannot fix them.
        // An embedded file that stops answering, or that its path no longer names, a restart opens anew.
        if store.isLocal { checks.append(HealthProbe.store(store)) }
        return checks
    }
}
