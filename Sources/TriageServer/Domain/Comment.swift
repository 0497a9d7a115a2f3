import Foundation

public typealias CommentID = Int64

public struct Comment: Codable, Sendable, Equatable {
    public var id: CommentID
    public var issueId: IssueID
    public var authorId: UserID
    public var content: String
    public var createdAt: Date
    public var updatedAt: Date
}
