import Foundation

public protocol IssueRepository: Sendable {
    /// Creates the issue and its first status event (nil → OPEN) in one transaction.
    func create(_ issue: NewIssue, at: Date) async throws(RepositoryError) -> Issue
    func find(id: IssueID) async throws(RepositoryError) -> Issue?
    /// Adds views counted in memory (`IssueViews`) as one batch: one transaction on
    /// SQLite, one statement on PostgreSQL. Issues deleted since are skipped.
    func addViews(_ views: [IssueID: Int]) async throws(RepositoryError)
    /// Newest first (createdAt, then id, descending), a stable order across pages.
    /// The total is exact for no filter or `status` alone (maintained counters),
    /// bounded (`ListTotal.bounded`) otherwise.
    func list(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) async throws(RepositoryError) -> ListSlice<Issue>
    /// Applies `changes` in one transaction; a status change is checked against
    /// DESIGN §3 and recorded as an event at `at` by `actorId`.
    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue
    /// Deletes the issue with its comments and events; throws `.notFound`.
    func delete(id: IssueID) async throws(RepositoryError)
    /// The `limit` issues created at or after `since` with the highest
    /// `viewCount + commentCount`; ties go to the newer issue, then the higher id.
    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue]
    /// Oldest first.
    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent]
}

/// A store that can read issues without suspending (SQLite reads on the calling
/// thread), so `GET /api/issues/{id}` and `GET /api/issues` can be answered on the
/// event loop (`IssueImmediateResponder`, `IssueListImmediateResponder`). A store
/// without it is always read through the router.
public protocol ImmediateIssueReads: Sendable {
    func findNow(id: IssueID) throws(RepositoryError) -> Issue?
    /// What `IssueRepository.list` returns.
    func listNow(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) throws(RepositoryError) -> ListSlice<Issue>
}
