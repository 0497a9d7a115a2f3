import Foundation

public protocol CommentRepository: Sendable {
    /// Oldest first (by id), with the issue's maintained comment count as the
    /// exact total. Throws `.notFound` for an unknown issue.
    func list(issueId: IssueID, _ page: PageRequest<CommentID>) async throws(RepositoryError) -> ListSlice<Comment>
    /// Adds the comment and counts it on the issue in one transaction.
    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment
    func find(id: CommentID) async throws(RepositoryError) -> Comment?
    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment
    /// Removes the comment and uncounts it on the issue in one transaction.
    func delete(id: CommentID) async throws(RepositoryError)
}
