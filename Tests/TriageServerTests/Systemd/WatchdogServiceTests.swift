import Logging
import Testing
@testable import TriageServer

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

@Suite struct WatchdogServiceTests {
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
        #expect(state.snapshot.lastProbeError != nil)
    }

    @Test func reportsDisabledWithoutAnInterval() {
        let snapshot = WatchdogState(interval: nil).snapshot
        #expect(!snapshot.enabled)
        #expect(snapshot.intervalSeconds == nil)
        #expect(WatchdogState(interval: .milliseconds(400)).snapshot.intervalSeconds == 0.4)
    }
}
