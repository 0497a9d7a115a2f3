import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import TriageServer
import TriageTestDoubles

/// A store whose ping the test switches on and off.
private final class SwitchableStore: Store, Sendable {
    let base: SQLiteStore
    private let up = Mutex(true)
    init(base: SQLiteStore) { self.base = base }

    func set(up value: Bool) { up.withLock { $0 = value } }

    let kind = "postgres"
    let location = "postgres://triage@db.test:5432/triage"
    let isLocal = false
    let service: (any Service)? = nil
    var users: any UserRepository { base.users }
    func backup(to path: String) async throws(BackupError) -> BackupCopy { try await base.backup(to: path) }
    var issues: any IssueRepository { base.issues }
    var comments: any CommentRepository { base.comments }
    var stats: any StatsRepository { base.stats }
    var externalSnapshots: any ExternalSnapshotRepository { base.externalSnapshots }
    struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
    func ping() async throws { if !up.withLock({ $0 }) { throw Down() } }
    func schemaVersion() async throws -> String { "test" }
    func close() async throws {}
}

@Suite(.timeLimit(.minutes(2))) struct StoreAvailabilityMonitorTests {
    @Test func theStatusSaysWhenTheDatabaseGoesAndComesBack() async throws {
        try await TrackerFixture.with { fixture in
            let store = SwitchableStore(base: fixture.store)
            let notifier = RecordingNotifier()
            let readiness = ReadinessTracker(notifier: notifier, logger: Logger(label: "test"))
            readiness.listenerIsRunning(.http, address: "127.0.0.1:8080")
            readiness.listenerIsRunning(.control, address: "/run/triage/control.sock")
            let monitor = StoreAvailabilityMonitor(store: store, readiness: readiness, notifier: notifier, clock: ContinuousClock(), logger: Logger(label: "test"))
            let ready = "STATUS=" + readiness.readyStatus()

            await monitor.probe()
            #expect(notifier.recorded.count == 1, "no news while it answers: only READY=1")

            store.set(up: false)
            await monitor.probe()
            await monitor.probe()
            let degraded = notifier.recorded.dropFirst()
            #expect(degraded.count == 1, "said once, not at every probe")
            #expect(degraded.first?.hasPrefix(ready + "; DEGRADED: the database (postgres://triage@db.test:5432/triage) does not answer") == true)

            store.set(up: true)
            await monitor.probe()
            #expect(notifier.recorded.last == ready)
            #expect(notifier.recorded.count == 3)
        }
    }
}
