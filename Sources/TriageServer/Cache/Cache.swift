import Foundation
import Logging
import Synchronization
import TriageControlAPI

/// A named cache with a time to live, single-flight loading and statistics.
/// Any number of concurrent misses on one key run one load and all get its
/// result; a failed load is not cached and every waiter gets its error.
public final class Cache<Value: Sendable>: Sendable {
    public let name: String
    private let storage: any CacheStorage<Value>
    private let clock: any ElapsedClock
    private let timeToLive: @Sendable () -> TimeInterval
    private let metrics: CacheMetrics?
    private let logger: Logger
    private let state = Mutex(State())
    /// Counted apart from `state`: every hit bumps it, and an atomic keeps hits off the lock.
    private let hits = Atomic<Int>(0)

    private struct State {
        var inFlight: [String: Task<Value, any Error>] = [:]
        /// Bumped by every eviction, so a load that started before one never stores its stale result.
        var generation: UInt64 = 0
        var misses = 0
        var loads = 0
        var loadFailures = 0
        var loadSeconds = 0.0
        var evictions = 0
    }

    /// `timeToLive` is read at every store, so a reloaded setting applies to the next load. 0 disables keeping entries.
    public init(
        name: String, storage: any CacheStorage<Value> = InMemoryCacheStorage<Value>(), clock: any ElapsedClock,
        timeToLive: @escaping @Sendable () -> TimeInterval, metrics: CacheMetrics? = nil,
        logger: Logger = Logger(label: "triaged.cache")
    ) {
        self.name = name
        self.logger = logger
        self.storage = storage
        self.clock = clock
        self.timeToLive = timeToLive
        self.metrics = metrics
    }

    /// The cached value for `key`, loading it with `load` on a miss.
    public func value(for key: String, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let entry = await tolerating("read", { try await self.storage.entry(for: key) }) ?? nil, entry.expiresAt > clock.now() {
            hits.add(1, ordering: .relaxed)
            metrics?.hit()
            return entry.value
        }
        let task = state.withLock { state -> Task<Value, any Error> in
            state.misses += 1
            if let running = state.inFlight[key] { return running }
            let generation = state.generation
            let task = Task { try await self.load(key, generation: generation, using: load) }
            state.inFlight[key] = task
            return task
        }
        metrics?.miss()
        return try await task.value
    }

    /// A fresh value that can be had without waiting, counted as a hit; nil
    /// (and nothing counted) when only `value(for:load:)` can answer.
    public func immediateHit(for key: String) -> Value? {
        guard let entry = storage.localEntry(for: key), entry.expiresAt > clock.now() else { return nil }
        hits.add(1, ordering: .relaxed)
        metrics?.hit()
        return entry.value
    }

    private func load(_ key: String, generation: UInt64, using load: @Sendable () async throws -> Value) async throws -> Value {
        let started = ContinuousClock.now
        defer { state.withLock { _ = $0.inFlight.removeValue(forKey: key) } }
        do {
            let value = try await load()
            let seconds = (ContinuousClock.now - started).inSeconds
            let current = state.withLock { state -> Bool in
                state.loads += 1
                state.loadSeconds += seconds
                return state.generation == generation
            }
            metrics?.loaded(seconds: seconds)
            let ttl = timeToLive()
            if current && ttl > 0 {
                let now = clock.now()
                let entry = CacheEntry(value: value, expiresAt: now.addingTimeInterval(ttl))
                await tolerating("store") { try await self.storage.store(entry, for: key, now: now) }
            }
            return value
        } catch {
            state.withLock {
                $0.loadFailures += 1
                $0.loadSeconds += (ContinuousClock.now - started).inSeconds
            }
            metrics?.loadFailed()
            throw error
        }
    }

    /// Drops one entry (e.g. its data was deleted).
    public func evict(_ key: String) async {
        state.withLock { $0.generation += 1 }
        if await tolerating("evict", { try await self.storage.remove(key) }) == true {
            state.withLock { $0.evictions += 1 }
            metrics?.evicted(1)
        }
    }

    /// Drops every entry; returns how many went.
    @discardableResult
    public func flush() async -> Int {
        state.withLock { $0.generation += 1 }
        let removed = await tolerating("flush") { try await self.storage.removeAll() } ?? 0
        state.withLock { $0.evictions += removed }
        metrics?.evicted(removed)
        return removed
    }

    public func statistics() async -> CacheStatistics {
        let entries = await tolerating("count") { try await self.storage.count() } ?? 0
        let hits = hits.load(ordering: .relaxed)
        return state.withLock { state in
            CacheStatistics(
                name: name, hits: hits, misses: state.misses, loads: state.loads, loadFailures: state.loadFailures,
                loadSeconds: state.loadSeconds, entries: entries, evictions: state.evictions
            )
        }
    }

    /// A storage failure (a shared backend gone, say) degrades to a miss or a
    /// no-op: the caller still gets its value from the load. It is logged, not hidden.
    @discardableResult
    private func tolerating<Result>(_ operation: String, _ body: () async throws -> Result) async -> Result? {
        do {
            return try await body()
        } catch {
            logger.warning("cache storage failed", metadata: ["cache": "\(name)", "operation": "\(operation)", "error": "\(error)"])
            return nil
        }
    }
}
