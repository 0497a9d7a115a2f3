import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import TriageServer

/// Counts how often the popular query reaches the store.
final class CountingIssues: IssueRepository {
    let base: any IssueRepository
    private let calls = Mutex(0)

    init(base: any IssueRepository) {
        self.base = base
    }

    var popularCalls: Int { calls.withLock { $0 } }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [TriageServer.Issue] {
        calls.withLock { $0 += 1 }
        return try await base.popular(since: since, limit: limit)
    }

    func create(_ issue: NewIssue, at: Date) async throws(RepositoryError) -> TriageServer.Issue { try await base.create(issue, at: at) }
    func find(id: IssueID) async throws(RepositoryError) -> TriageServer.Issue? { try await base.find(id: id) }
    func addViews(_ views: [IssueID: Int]) async throws(RepositoryError) { try await base.addViews(views) }
    func list(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) async throws(RepositoryError) -> ListSlice<TriageServer.Issue> { try await base.list(filter, page) }
    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> TriageServer.Issue {
        try await base.update(id: id, changes, actorId: actorId, at: at)
    }
    func delete(id: IssueID) async throws(RepositoryError) { try await base.delete(id: id) }
    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] { try await base.statusEvents(issueId: issueId) }
}

@Suite(.timeLimit(.minutes(2))) struct PopularIssuesTests {
    @Test func hitsTouchNoStoreUntilTheTTLEndsAndDeletesEvict() async throws {
        try await TrackerFixture.with { fixture in
            let counting = CountingIssues(base: fixture.store.issues)
            let popular = PopularIssues(
                cache: Cache(name: "popular", clock: fixture.clock, timeToLive: { 300 }), issues: counting, clock: fixture.clock
            )
            let member = try await fixture.user("member", .member)
            let issue = try await fixture.store.issues.create(
                NewIssue(title: "hot", description: "", priority: .low, reporterId: member.user.id, assigneeId: nil), at: fixture.clock.now()
            )
            let first = try await popular.body()
            #expect(String(buffer: first).contains("\"hot\""))
            for _ in 0..<50 { _ = try await popular.body() }
            #expect(counting.popularCalls == 1, "hits touch no store")

            fixture.clock.advance(by: 300)
            _ = try await popular.body()
            #expect(counting.popularCalls == 2, "the TTL ended")

            try await fixture.store.issues.delete(id: issue.id)
            await popular.invalidate()
            #expect(String(buffer: try await popular.body()) == "[]")
            #expect(counting.popularCalls == 3)
        }
    }

    @Test func theRouteServesTheTopTenToAnyRoleAndDeletingEvicts() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            let viewer = try await fixture.user("viewer", .viewer)
            try await fixture.test(.router) { client in
                let created = try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"first","description":""}"#)
                let id = try created.decode(TriageServer.Issue.self).id
                let response = try await client.call(.get, "/api/issues/popular", token: viewer.token)
                #expect(response.status == .ok)
                let issues = try response.decode([TriageServer.Issue].self)
                #expect(issues.map(\.id) == [id])
                #expect(try await client.call(.get, "/api/issues/popular").status == .unauthorized)

                #expect(try await client.call(.delete, "/api/issues/\(id)", token: member.token).status == .noContent)
                let after = try await client.call(.get, "/api/issues/popular", token: viewer.token)
                #expect(after.text == "[]", "deleting an issue evicts the cached list")
            }
            let statistics = await fixture.services.popular.cache.statistics()
            #expect(statistics.loads == 2)
            #expect(statistics.evictions == 1)
        }
    }
}
