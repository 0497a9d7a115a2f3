import NIOCore
import Prometheus
import Synchronization

/// The open public connections, so their number stays under a cap (see
/// `ConnectionLimit`). At the cap a new connection does not wait: the one that
/// has waited longest for a request head is closed for it, as nginx reuses
/// keep-alive connections. Idle and stalled sockets are what an attacker holds
/// cheaply; a request being served is never cut. Only when every connection is
/// busy is the newcomer closed. (Hummingbird's `MaximumAvailableConnections`
/// stops accepting at the cap instead, which hands the listener to whoever
/// holds the most idle sockets until their timeouts run out.)
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When it started waiting for a request head; nil while a request is being read or served.
        var idleSince: NIODeadline?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    private let limit: @Sendable () -> Int
    private let metrics: ConnectionMetrics?

    /// `limit` is read on every new connection, so a reloaded `http.maxConnections` applies at once.
    public init(metrics: ConnectionMetrics? = nil, limit: @escaping @Sendable () -> Int) {
        self.metrics = metrics
        self.limit = limit
    }

    public var count: Int { entries.withLock { $0.count } }

    /// Adds `channel` (idle); closes the longest-idle connection if that makes one too many.
    func opened(_ channel: any Channel, at now: NIODeadline) {
        let limit = limit()
        let victim: (any Channel)? = entries.withLock { entries in
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: now)
            metrics?.open(entries.count)
            metrics?.limit(limit)
            guard entries.count > limit else { return nil }
            let oldestIdle = entries.filter { $0.key != ObjectIdentifier(channel) }
                .compactMap { key, entry in entry.idleSince.map { (key, entry.channel, $0) } }
                .min { $0.2 < $1.2 }
            let (key, victim) = oldestIdle.map { ($0.0, $0.1) } ?? (ObjectIdentifier(channel), channel)
            // Forgotten now, so the next newcomer does not pick the same victim before it closes.
            entries[key] = nil
            metrics?.open(entries.count)
            return victim
        }
        guard let victim else { return }
        metrics?.shed(newcomer: victim === channel)
        victim.close(mode: .all, promise: nil)
    }

    func busy(_ channel: any Channel) {
        entries.withLock { entries in entries[ObjectIdentifier(channel)]?.idleSince = nil }
    }

    func idle(_ channel: any Channel, since now: NIODeadline) {
        entries.withLock { entries in entries[ObjectIdentifier(channel)]?.idleSince = now }
    }

    func closed(_ channel: any Channel) {
        entries.withLock { entries in
            entries[ObjectIdentifier(channel)] = nil
            metrics?.open(entries.count)
        }
    }
}

/// Open connections, the cap, and what the cap and the timeouts closed.
public struct ConnectionMetrics: Sendable {
    private let openConnections: Gauge
    private let limit: Gauge
    /// Keyed by "the newcomer was closed" and "the head timed out".
    private let shed: [Bool: Counter]
    private let timeouts: [Bool: Counter]

    public init(registry: PrometheusCollectorRegistry) {
        openConnections = registry.makeGauge(descriptor: .named("triage_http_connections_open", help: "Open public HTTP connections."))
        limit = registry.makeGauge(descriptor: .named("triage_http_connections_limit", help: "Most public HTTP connections kept open at once."))
        shed = registry.makeCounters(
            "triage_http_connections_shed_total",
            help: "Connections closed because the cap was reached: the longest-idle one, or the newcomer when none was idle.",
            label: "closed", values: [false, true], spelled: { $0 ? "newcomer" : "idle" }
        )
        timeouts = registry.makeCounters(
            "triage_http_timeouts_total", help: "Connections closed because a request head or body came too slowly.",
            label: "phase", values: [true, false], spelled: { $0 ? "head" : "body" }
        )
    }

    func open(_ count: Int) { openConnections.set(to: Double(count)) }
    func limit(_ count: Int) { limit.set(to: Double(count)) }
    func shed(newcomer: Bool) { shed[newcomer]?.increment() }
    func timedOut(head: Bool) { timeouts[head]?.increment() }
}
