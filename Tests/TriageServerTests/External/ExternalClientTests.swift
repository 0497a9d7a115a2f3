import Foundation
import Logging
import NIOCore
import Synchronization
import Testing
@testable import TriageServer
import TriageTestDoubles

/// Retries, delays, the deadline and the breaker, on a scripted upstream and a stepping clock.
@Suite(.timeLimit(.minutes(2))) struct ExternalClientTests {
    struct Harness {
        let clock = SteppingClock()
        let upstream: ScriptedUpstream
        let breaker: CircuitBreaker
        let lastGood: LastKnownGood
        let client: ExternalClient
        /// Where the last good body is kept; the stores' own implementations have their contract test.
        let snapshots = MemorySnapshots()

        init(_ steps: [ScriptedUpstream.Step], retries: Int = 3, delay: TimeInterval = 1, deadline: TimeInterval = 10,
             attemptTimeout: TimeInterval = 5, threshold: Int = 5, coolDown: TimeInterval = 30, failureRate: Double = 0) async throws {
            upstream = ScriptedUpstream(clock: clock, steps)
            let breakerPolicy = CircuitBreaker.Policy(threshold: threshold, coolDown: coolDown, failureRate: failureRate, window: 60, minimumCalls: 4)
            breaker = CircuitBreaker(clock: clock, policy: { breakerPolicy }, logger: Logger(label: "test"))
            lastGood = LastKnownGood(store: snapshots)
            let policy = ExternalClient.Policy(
                url: try #require(URL(string: "http://upstream.test/posts/1")), attemptTimeout: attemptTimeout,
                retries: retries, retryDelay: delay, deadline: deadline
            )
            client = ExternalClient(
                upstream: upstream, breaker: breaker, lastGood: lastGood, clock: clock, wallClock: clock, policy: { policy }, metrics: nil, logger: Logger(label: "test")
            )
        }
    }

    private func isFresh(_ outcome: ExternalClient.Outcome) -> Bool {
        if case .fresh = outcome { return true }
        return false
    }

    private func reason(_ outcome: ExternalClient.Outcome) -> String? {
        if case .fallback(let reason, _) = outcome { return reason }
        return nil
    }

    @Test func aHealthyUpstreamIsCalledOnce() async throws {
        let harness = try await Harness([])
        #expect(isFresh(await harness.client.fetch()))
        #expect(harness.upstream.attempts == 1)
        #expect(harness.clock.sleeps.isEmpty)
        #expect(harness.upstream.budgets == [5])
    }

    @Test func transientFailuresAreRetriedWithTheFixedDelay() async throws {
        let harness = try await Harness([.fail(.refused("x")), .fail(.status(503)), .fail(.connectionReset)])
        #expect(isFresh(await harness.client.fetch()))
        #expect(harness.upstream.attempts == 4)
        #expect(harness.clock.sleeps == [1, 1, 1])
    }

    @Test(arguments: [429, 500, 502, 503, 504])
    func retryableStatuses(code: Int) async throws {
        let harness = try await Harness([.fail(.status(code))])
        #expect(isFresh(await harness.client.fetch()))
        #expect(harness.upstream.attempts == 2)
    }

    @Test(arguments: [UpstreamFailure.status(404), .status(400), .badBody("x"), .tooLarge])
    func permanentFailuresAreNotRetried(failure: UpstreamFailure) async throws {
        let harness = try await Harness([.fail(failure)])
        let outcome = await harness.client.fetch()
        #expect(reason(outcome) == failure.phrase)
        #expect(harness.upstream.attempts == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func aNonObjectBodyIsABadResponseNotRetried() async throws {
        let harness = try await Harness([.body("[1, 2]")])
        #expect(reason(await harness.client.fetch()) == "bad response (not a JSON object)")
        #expect(harness.upstream.attempts == 1)
    }

    @Test func atMostTheConfiguredRetries() async throws {
        let harness = try await Harness([.fail(.timeout), .fail(.timeout), .fail(.timeout), .fail(.timeout), .fail(.timeout)])
        #expect(reason(await harness.client.fetch()) == "timeout")
        #expect(harness.upstream.attempts == 4, "the first attempt and 3 retries")
        #expect(harness.clock.sleeps == [1, 1, 1])
    }

    @Test func theDeadlineBoundsTheWholeCall() async throws {
        // Attempts hang for their budget: 4 s, 1 s delay, 4 s, then a delay ending at 10 s is not started.
        let started = Date(timeIntervalSince1970: 1_780_000_000)
        let harness = try await Harness([.hang, .hang, .hang, .hang], deadline: 10, attemptTimeout: 4)
        #expect(reason(await harness.client.fetch()) == "timeout")
        #expect(harness.upstream.budgets == [4, 4])
        #expect(harness.clock.now().timeIntervalSince(started) <= 10)
        #expect(harness.clock.sleeps == [1])
    }

    @Test func anAttemptRunningAtTheDeadlineIsCutOffThere() async throws {
        let started = Date(timeIntervalSince1970: 1_780_000_000)
        let harness = try await Harness([.hang, .hang, .hang], delay: 1, deadline: 7, attemptTimeout: 5)
        _ = await harness.client.fetch()
        #expect(harness.upstream.budgets == [5, 1], "the second attempt gets only what is left of the 7 s")
        #expect(harness.clock.now().timeIntervalSince(started) == 7)
    }

    @Test func theBreakerOpensFailsFastProbesAndCloses() async throws {
        let failures = Array(repeating: ScriptedUpstream.Step.fail(.status(404)), count: 6)
        let harness = try await Harness(failures, threshold: 3, coolDown: 30)
        for _ in 0..<3 { _ = await harness.client.fetch() }
        #expect(harness.breaker.state == .open)
        #expect(harness.upstream.attempts == 3)
        #expect(reason(await harness.client.fetch()) == "open circuit")
        #expect(harness.upstream.attempts == 3, "an open breaker does not touch the network")

        harness.clock.advance(by: 30)
        _ = await harness.client.fetch()
        #expect(harness.upstream.attempts == 4, "one probe after the cool-down")
        #expect(harness.breaker.state == .open, "the failed probe re-opens it")

        harness.breaker.reset()
        #expect(harness.breaker.state == .closed, "triagectl external reset closes it at once")
        _ = await harness.client.fetch()
        #expect(harness.upstream.attempts == 5)
    }

    @Test func anUpstreamFailingEveryOtherCallOpensTheBreakerByRate() async throws {
        let steps = (0..<4).flatMap { _ in [ScriptedUpstream.Step.fail(.status(404)), .body(#"{"id":1}"#)] }
        let harness = try await Harness(steps, threshold: 5, failureRate: 0.5)
        for _ in 0..<4 { _ = await harness.client.fetch() }
        #expect(harness.breaker.state == .closed, "the rate is judged when a call fails")
        _ = await harness.client.fetch()
        #expect(harness.breaker.state == .open, "three of five failed")
        #expect(harness.breaker.consecutiveFailures == 1, "no streak was needed")
        #expect(reason(await harness.client.fetch()) == "open circuit")
        #expect(harness.upstream.attempts == 5)
    }

    @Test func aSuccessfulProbeClosesTheBreaker() async throws {
        let harness = try await Harness([.fail(.status(404)), .fail(.status(404))], threshold: 2, coolDown: 10)
        _ = await harness.client.fetch()
        _ = await harness.client.fetch()
        #expect(harness.breaker.state == .open)
        harness.clock.advance(by: 10)
        #expect(isFresh(await harness.client.fetch()))
        #expect(harness.breaker.state == .closed)
        #expect(harness.breaker.consecutiveFailures == 0)
    }

    @Test func theFallbackCarriesTheLastGoodBodyWithItsAgeThenTheDefault() async throws {
        let harness = try await Harness([.body(#"{"userId":7,"id":3,"title":"real","body":"text"}"#), .fail(.status(404))])
        #expect(isFresh(await harness.client.fetch()))
        harness.clock.advance(by: 42)
        guard case .fallback(let reason, let snapshot) = await harness.client.fetch() else {
            Issue.record("expected a fallback")
            return
        }
        let body = FallbackBody.make(reason: reason, snapshot: snapshot, now: harness.clock.now())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        #expect(object["status"] as? String == "fallback")
        #expect(object["degraded"] as? Bool == true)
        #expect(object["userId"] as? Int == 7 && object["title"] as? String == "real")
        #expect(object["staleSeconds"] as? Int == 42)
        #expect((object["message"] as? String)?.contains("bad response") == true)

        // A restart reads the stored copy.
        let restarted = LastKnownGood(store: harness.snapshots)
        try await restarted.load(url: try #require(URL(string: "http://upstream.test/posts/1")))
        #expect(restarted.snapshot.map { String(buffer: $0.body) } == #"{"userId":7,"id":3,"title":"real","body":"text"}"#)

        let empty = FallbackBody.make(reason: "timeout", snapshot: nil, now: harness.clock.now())
        let defaults = try #require(try JSONSerialization.jsonObject(with: Data(empty.readableBytesView)) as? [String: Any])
        #expect(Set(defaults.keys) == ["userId", "id", "title", "body", "status", "message", "degraded"])
    }
}

/// Keeps the last good body in memory and counts its writes.
final class MemorySnapshots: ExternalSnapshotRepository {
    private let state = Mutex<(stored: [String: (body: Data, fetchedAt: Date)], saves: Int)>(([:], 0))
    var count: Int { state.withLock { $0.saves } }

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? { state.withLock { $0.stored[url] } }
    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        state.withLock { state in
            state.stored[url] = (body, at)
            state.saves += 1
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct LastKnownGoodTests {
    @Test func anUnchangedBodyIsWrittenAtMostOnceAMinute() async throws {
        let snapshots = MemorySnapshots()
        let lastGood = LastKnownGood(store: snapshots)
        let url = try #require(URL(string: "http://upstream.test/"))
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        for second in 0..<59 { try await lastGood.remember(ByteBuffer(string: "{}"), url: url, at: start.addingTimeInterval(Double(second))) }
        #expect(snapshots.count == 1)
        #expect(lastGood.snapshot?.fetchedAt == start.addingTimeInterval(58), "memory always has the latest")
        try await lastGood.remember(ByteBuffer(string: "{}"), url: url, at: start.addingTimeInterval(60))
        #expect(snapshots.count == 2)
        try await lastGood.remember(ByteBuffer(string: #"{"new":1}"#), url: url, at: start.addingTimeInterval(61))
        #expect(snapshots.count == 3, "a changed body is written at once")
    }
}
