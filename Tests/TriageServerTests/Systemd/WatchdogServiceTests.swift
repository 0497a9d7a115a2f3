import Dispatch
import Logging
import NIOPosix
import Testing
import TriageTestSupport
@testable import TriageServer
import TriageTestDoubles

private struct FakeCheck: HealthCheck {
    let name: String
    var failure: (any Error)?
    var delay: Duration = .zero

    func check() async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
        if let failure { throw failure }
    }
}

private struct Broken: Error {}

@Suite(.timeLimit(.minutes(2))) struct WatchdogServiceTests {
    private func service(_ checks: [any HealthCheck], notifier: RecordingNotifier, state: WatchdogState) -> WatchdogService<ContinuousClock> {
        WatchdogService(notifier: notifier, checks: checks, clock: ContinuousClock(), state: state, logger: Logger(label: "test"))
    }

    @Test func pingsWhenEveryCheckPasses() async {
        let notifier = RecordingNotifier()
        let state = WatchdogState(interval: .milliseconds(400))
        await service([FakeCheck(name: "a"), FakeCheck(name: "b")], notifier: notifier, state: state).tick(budget: .seconds(5))
        #expect(notifier.recorded == ["WATCHDOG=1"])
        #expect(state.snapshot.lastPingAt != nil)
        #expect(state.snapshot.lastProbeError == nil)
    }

    @Test func withholdsThePingWhenACheckFails() async {
        let notifier = RecordingNotifier()
        let state = WatchdogState(interval: .milliseconds(400))
        await service([FakeCheck(name: "a"), FakeCheck(name: "store", failure: Broken())], notifier: notifier, state: state)
            .tick(budget: .seconds(5))
        #expect(notifier.recorded.isEmpty)
        #expect(state.snapshot.lastProbeError?.hasPrefix("store:") == true)
    }

    @Test func withholdsThePingWhenACheckOutlastsTheBudget() async {
        let notifier = RecordingNotifier()
        let state = WatchdogState(interval: .milliseconds(100))
        await service([FakeCheck(name: "slow", delay: .seconds(5))], notifier: notifier, state: state).tick(budget: .milliseconds(50))
        #expect(notifier.recorded.isEmpty)
        #expect(state.snapshot.lastProbeError == "slow: no answer within 0.05 seconds")
    }

    @Test func aWedgedEventLoopWithholdsThePingUntilItRunsAgain() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let notifier = RecordingNotifier()
        let state = WatchdogState(interval: .milliseconds(400))
        let watchdog = service([HealthProbe.eventLoops(group)], notifier: notifier, state: state)
        await watchdog.tick(budget: .seconds(30))
        #expect(notifier.recorded == ["WATCHDOG=1"])

        // The second loop blocks in a synchronous wait, as a stuck disk or lock call would.
        let release = DispatchSemaphore(value: 0)
        let loops = Array(group.makeIterator())
        loops[1].execute { release.wait() }
        await watchdog.tick(budget: .milliseconds(200))
        #expect(notifier.recorded == ["WATCHDOG=1"], "no ping while a loop is wedged")
        #expect(state.snapshot.lastProbeError?.hasPrefix("event-loops: no answer within") == true, "\(state.snapshot.lastProbeError ?? "no error")")

        release.signal()
        await watchdog.tick(budget: .seconds(30))
        #expect(notifier.recorded == ["WATCHDOG=1", "WATCHDOG=1"], "pings resume once the loop runs again")
        #expect(state.snapshot.lastProbeError == nil)
        try await group.shutdownGracefully()
    }

    @Test func aStoreThatStopsAnsweringWithholdsThePing() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore.open(path: directory.file("triage.sqlite"), busyTimeout: 1, logger: Logger(label: "test"))
            let notifier = RecordingNotifier()
            let state = WatchdogState(interval: .milliseconds(400))
            let watchdog = service([HealthProbe.store(store)], notifier: notifier, state: state)
            await watchdog.tick(budget: .seconds(30))
            #expect(notifier.recorded == ["WATCHDOG=1"])

            try await store.close()
            await watchdog.tick(budget: .seconds(30))
            #expect(notifier.recorded == ["WATCHDOG=1"], "no ping once the store cannot answer")
            #expect(state.snapshot.lastProbeError?.hasPrefix("store: ") == true, "\(state.snapshot.lastProbeError ?? "no error")")
        }
    }

    @Test func reportsDisabledWithoutAnInterval() {
        let snapshot = WatchdogState(interval: nil).snapshot
        #expect(!snapshot.enabled)
        #expect(snapshot.intervalSeconds == nil)
        #expect(WatchdogState(interval: .milliseconds(400)).snapshot.intervalSeconds == 0.4)
    }
}
