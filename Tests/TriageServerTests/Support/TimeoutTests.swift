import NIOPosix
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageServer

/// A clock whose sleeps end at once: the timeout fires as soon as it is armed.
private struct ExpiredClock: Clock {
    var now: ContinuousClock.Instant { ContinuousClock.now }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {}
}

private struct Boom: Error {}

@Suite(.timeLimit(.minutes(2))) struct TimeoutTests {
    @Test func theOperationsValueOrErrorComesThrough() async throws {
        #expect(try await withTimeout(.seconds(10)) { 42 } == 42)
        await #expect(throws: Boom.self) { try await withTimeout(.seconds(10)) { throw Boom() } }
    }

    @Test func theTimeoutAnswersWithoutWaitingForAnOperationThatIgnoresCancellation() async throws {
        let gate = Gate()
        // Should the timeout wait for the operation after all, this lets it end so the test fails instead of hanging.
        let safety = Task { try? await Task.sleep(for: .seconds(2)); gate.open() }
        defer { safety.cancel() }
        await #expect(throws: TimeoutError.self) {
            try await withTimeout(.seconds(1), clock: ExpiredClock()) { await gate.pass() }
        }
        #expect(gate.passed == 0, "the caller was answered while the operation still ran")
        gate.open()
    }

    @Test func cancellingTheCallerEndsTheWaitAtOnce() async throws {
        let gate = Gate()
        let call = Task { try await withTimeout(.seconds(3600)) { await gate.pass() } }
        // Cancel only once the operation runs, so the wait itself is what gets cut short.
        try #require(try await eventually { gate.waiting == 1 })
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(gate.passed == 0)
        gate.open()
    }

    /// The event loop's timer (PostgreSQL's statements) fires, and once stopped does not.
    @Test func anEventLoopTimerFiresAndIsDisarmedWhenTheRaceEnds() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let timer = TimeoutTimer.scheduled(on: group)
        let fired = Mutex(0)
        _ = timer.start(.milliseconds(20)) { fired.withLock { $0 += 1 } }
        try #require(try await eventually { fired.withLock { $0 } == 1 })
        // Long enough that a descheduled test thread cannot let it fire before `stop` runs.
        let stop = timer.start(.milliseconds(500)) { fired.withLock { $0 += 1 } }
        stop()
        try await Task.sleep(for: .milliseconds(800))
        #expect(fired.withLock { $0 } == 1, "a disarmed timer fired")

        let gate = Gate()
        await #expect(throws: TimeoutError.self) { try await withTimeout(.milliseconds(20), timer: timer) { await gate.pass() } }
        gate.open()
        #expect(try await withTimeout(.seconds(10), timer: timer) { 42 } == 42)
        try await group.shutdownGracefully()
    }
}
