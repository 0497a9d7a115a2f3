import Foundation
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageServer
import TriageTestDoubles

/// Counts loads, can fail them, and can hold them at a gate until the test opens
/// it, so "while a load runs" is a state the test waits for, not a guess about timing.
final class CountingLoader: Sendable {
    private let state = Mutex<(calls: Int, failuresLeft: Int)>((0, 0))
    let gate: Gate

    init(failures: Int = 0, held: Bool = false) {
        gate = Gate(open: !held)
        state.withLock { $0.failuresLeft = failures }
    }

    var calls: Int { state.withLock { $0.calls } }

    struct Failure: Error, Equatable {}

    func load() async throws -> Int {
        let (call, fail) = state.withLock { state -> (Int, Bool) in
            state.calls += 1
            let fail = state.failuresLeft > 0
            if fail { state.failuresLeft -= 1 }
            return (state.calls, fail)
        }
        await gate.pass()
        if fail { throw Failure() }
        return call
    }
}

@Suite(.timeLimit(.minutes(2))) struct CacheTests {
    private func cache(ttl: TimeInterval = 300, clock: ManualWallClock) -> Cache<Int> {
        Cache(name: "test", clock: clock, timeToLive: { ttl })
    }

    @Test func loadsOnceWithinTheTTLAndAgainAfterIt() async throws {
        let clock = ManualWallClock()
        let cache = cache(clock: clock)
        let loader = CountingLoader()
        #expect(try await cache.value(for: "k") { try await loader.load() } == 1)
        for _ in 0..<10 { #expect(try await cache.value(for: "k") { try await loader.load() } == 1) }
        #expect(loader.calls == 1)
        clock.advance(by: 299.999)
        #expect(try await cache.value(for: "k") { try await loader.load() } == 1)
        clock.advance(by: 0.001)
        #expect(try await cache.value(for: "k") { try await loader.load() } == 2, "expired exactly at the TTL")
        let statistics = await cache.statistics()
        #expect((statistics.hits, statistics.misses, statistics.loads, statistics.entries) == (11, 2, 2, 1))
        #expect(statistics.name == "test")
    }

    /// A key never read again (yesterday's) does not stay: storing any entry drops the expired ones.
    @Test func storingDropsEntriesThatHaveExpired() async throws {
        let clock = ManualWallClock()
        let cache = cache(ttl: 10, clock: clock)
        #expect(try await cache.value(for: "monday") { 1 } == 1)
        clock.advance(by: 5)
        #expect(try await cache.value(for: "tuesday") { 2 } == 2)
        #expect(await cache.statistics().entries == 2, "monday has 5 s left")
        clock.advance(by: 5)
        #expect(try await cache.value(for: "wednesday") { 3 } == 3)
        #expect(await cache.statistics().entries == 2, "monday expired and went; tuesday and wednesday stay")
    }

    @Test func aHundredConcurrentMissesRunOneLoad() async throws {
        let cache = cache(clock: ManualWallClock())
        let loader = CountingLoader(held: true)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<100 { group.addTask { try await cache.value(for: "k") { try await loader.load() } } }
            // Every caller has missed and joined before the one load may finish.
            let allJoined = try await eventually { await cache.statistics().misses == 100 }
            loader.gate.open()
            #expect(allJoined, "all hundred callers missed while the load was held")
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: 1, count: 100))
        #expect(loader.calls == 1)
        let statistics = await cache.statistics()
        #expect(statistics.loads == 1)
        #expect(statistics.misses == 100)
    }

    @Test func aFailedLoadReachesEveryWaiterAndIsNotCached() async throws {
        let cache = cache(clock: ManualWallClock())
        let loader = CountingLoader(failures: 1, held: true)
        // true: this waiter got the load's own error.
        let gotTheError = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await cache.value(for: "k") { try await loader.load() }
                        return false
                    } catch {
                        return error is CountingLoader.Failure
                    }
                }
            }
            let allJoined = try await eventually { await cache.statistics().misses == 20 }
            loader.gate.open()
            #expect(allJoined, "all twenty callers missed while the load was held")
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(gotTheError == Array(repeating: true, count: 20))
        #expect(loader.calls == 1, "one load for all twenty")
        #expect(try await cache.value(for: "k") { try await loader.load() } == 2, "the next call loads again")
        let statistics = await cache.statistics()
        #expect(statistics.loadFailures == 1)
        #expect(statistics.loads == 1)
    }

    @Test func evictAndFlushDropEntriesAndCountThem() async throws {
        let cache = cache(clock: ManualWallClock())
        let loader = CountingLoader()
        _ = try await cache.value(for: "a") { try await loader.load() }
        _ = try await cache.value(for: "b") { try await loader.load() }
        await cache.evict("a")
        await cache.evict("missing")
        #expect(try await cache.value(for: "a") { try await loader.load() } == 3)
        #expect(await cache.flush() == 2)
        #expect(await cache.flush() == 0)
        let statistics = await cache.statistics()
        #expect(statistics.evictions == 3)
        #expect(statistics.entries == 0)
    }

    @Test func anEvictionDuringALoadKeepsItsStaleResultOut() async throws {
        let cache = cache(clock: ManualWallClock())
        let loader = CountingLoader(held: true)
        async let stale = cache.value(for: "k") { try await loader.load() }
        let loading = try await eventually { loader.gate.waiting == 1 }
        await cache.evict("k")
        loader.gate.open()
        #expect(loading, "the eviction arrived while the load ran")
        #expect(try await stale == 1, "the waiter still gets its answer")
        #expect(try await cache.value(for: "k") { try await loader.load() } == 2, "but it was not stored")
    }

    @Test func aZeroTTLCachesNothing() async throws {
        let cache = cache(ttl: 0, clock: ManualWallClock())
        let loader = CountingLoader()
        _ = try await cache.value(for: "k") { try await loader.load() }
        _ = try await cache.value(for: "k") { try await loader.load() }
        #expect(loader.calls == 2)
    }
}
