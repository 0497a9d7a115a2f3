import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageServer

/// Views counted in memory: each reader sees its own view, the store gets one
/// batch per flush, a failed batch is kept, a batch in flight is never counted
/// twice, and the flusher writes every second and once more at shutdown.
@Suite(.timeLimit(.minutes(2))) struct IssueViewsTests {
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// A real SQLite store whose batch writes can be held, failed and counted.
    final class Batches: IssueRepository {
        let base: any IssueRepository
        let gate = Gate(open: true)
        let failing = Mutex(false)
        let written = Mutex<[[IssueID: Int]]>([])

        init(_ base: any IssueRepository) { self.base = base }

        func addViews(_ views: [IssueID: Int]) async throws(RepositoryError) {
            await gate.pass()
            if failing.withLock({ $0 }) { throw .unavailable("disk full") }
            try await base.addViews(views)
            written.withLock { $0.append(views) }
        }

        func create(_ issue: NewIssue, at: Date) async throws(RepositoryError) -> TriageServer.Issue { try await base.create(issue, at: at) }
        func find(id: IssueID) async throws(RepositoryError) -> TriageServer.Issue? { try await base.find(id: id) }
        func list(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) async throws(RepositoryError) -> ListSlice<TriageServer.Issue> {
            try await base.list(filter, page)
        }
        func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> TriageServer.Issue {
            try await base.update(id: id, changes, actorId: actorId, at: at)
        }
        func delete(id: IssueID) async throws(RepositoryError) { try await base.delete(id: id) }
        func popular(since: Date, limit: Int) async throws(RepositoryError) -> [TriageServer.Issue] { try await base.popular(since: since, limit: limit) }
        func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] { try await base.statusEvents(issueId: issueId) }
    }

    private func withViews(_ body: (IssueViews, Batches, IssueID) async throws -> Void) async throws {
        try await StoreKind.sqlite.with { store in
            let reporter = try await store.users.create(username: "reporter", passwordHash: "h", role: .member, at: start)
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: start
            )
            let batches = Batches(store.issues)
            try await body(IssueViews(issues: batches, logger: Logger(label: "test")), batches, issue.id)
        }
    }

    @Test func readersSeeTheirViewAndTheStoreGetsOneBatch() async throws {
        try await withViews { views, batches, id in
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try #require(try await views.view(id)).viewCount } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...50))
            #expect(try await batches.base.find(id: id)?.viewCount == 0 && views.unwritten == 50)
            await views.flush()
            #expect(batches.written.withLock { $0 } == [[id: 50]])
            #expect(try await batches.base.find(id: id)?.viewCount == 50 && views.unwritten == 0)
            #expect(try await views.view(id)?.viewCount == 51, "the stored count and the unwritten view, once each")
            #expect(try await views.view(999) == nil)
            await views.flush()
            #expect(batches.written.withLock { $0.last } == [id: 1], "an unknown issue is not counted")
        }
    }

    @Test func aFailedBatchIsKeptForTheNext() async throws {
        try await withViews { views, batches, id in
            for _ in 0..<3 { _ = try await views.view(id) }
            batches.failing.withLock { $0 = true }
            await views.flush()
            #expect(views.unwritten == 3)
            #expect(try await views.view(id)?.viewCount == 4)
            batches.failing.withLock { $0 = false }
            await views.flush()
            #expect(try await batches.base.find(id: id)?.viewCount == 4 && views.unwritten == 0)
        }
    }

    @Test func aBatchInFlightIsNeverCountedTwice() async throws {
        try await withViews { views, batches, id in
            for _ in 0..<5 { _ = try await views.view(id) }
            batches.gate.close()
            let flushing = Task { await views.flush() }
            #expect(try await eventually { batches.gate.waiting == 1 })
            // The row may or may not hold the batch by the time it is read: at most what is
            // certainly known is shown (the stored 0 and the new view), never 5 twice.
            let during = try #require(try await views.view(id)).viewCount
            #expect(during == 1 || during == 6)
            batches.gate.open()
            await flushing.value
            #expect(try await views.view(id)?.viewCount == 7)
            await views.flush()
            #expect(try await batches.base.find(id: id)?.viewCount == 7)
        }
    }

    @Test func theFlusherWritesEveryIntervalAndWhatIsLeftAtShutdown() async throws {
        try await withViews { views, batches, id in
            let flusher = IssueViewsFlusher(views: views, clock: ContinuousClock(), interval: .milliseconds(20))
            let group = ServiceGroup(services: [flusher], logger: Logger(label: "test"))
            let running = Task { try await group.run() }
            _ = try await views.view(id)
            #expect(try await eventually { try await batches.base.find(id: id)?.viewCount == 1 })

            // A batch in flight when shutdown comes, and a view after it: both end up written.
            batches.gate.close()
            _ = try await views.view(id)
            #expect(try await eventually { batches.gate.waiting == 1 })
            await group.triggerGracefulShutdown()
            _ = try await views.view(id)
            batches.gate.open()
            try await running.value
            #expect(try await batches.base.find(id: id)?.viewCount == 3)
            #expect(views.unwritten == 0)
        }
    }
}
