import Foundation

public typealias IssueID = Int64

public struct Issue: Codable, Sendable, Equatable {
    public var id: IssueID
    public var title: String
    public var description: String
    public var status: IssueStatus
    public var priority: IssuePriority
    public var reporterId: UserID
    public var assigneeId: UserID?
    public var viewCount: Int
    public var commentCount: Int
    public var createdAt: Date
    public var updatedAt: Date

    // Encode assigneeId as an explicit null so clients see the field either way.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(status, forKey: .status)
        try container.encode(priority, forKey: .priority)
        try container.encode(reporterId, forKey: .reporterId)
        try container.encode(assigneeId, forKey: .assigneeId)
        try container.encode(viewCount, forKey: .viewCount)
        try container.encode(commentCount, forKey: .commentCount)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What creating an issue needs.
public struct NewIssue: Sendable, Equatable {
    public var title: String
    public var description: String
    public var priority: IssuePriority
    public var reporterId: UserID
    public var assigneeId: UserID?

}

/// A partial update; nil fields stay as they are. `assignee` distinguishes
/// "leave it" (nil) from "unassign" (.some(nil)).
public struct IssueChanges: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var status: IssueStatus?
    public var priority: IssuePriority?
    public var assignee: UserID??

    public init(title: String? = nil, description: String? = nil, status: IssueStatus? = nil, priority: IssuePriority? = nil, assignee: UserID?? = nil) {
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.assignee = assignee
    }

    public var isEmpty: Bool {
        title == nil && description == nil && status == nil && priority == nil && assignee == nil
    }

    /// The user the change assigns, when it names one (the store checks that the user exists).
    public var newAssignee: UserID? { assignee ?? nil }

    /// `issue` with these changes applied, and the status move they make, if
    /// any. Throws `.invalidTransition` for a move DESIGN §3 does not allow.
    /// The same rule for every store; only reading and writing differ.
    func applied(to issue: Issue) throws(RepositoryError) -> (issue: Issue, statusMove: (from: IssueStatus, to: IssueStatus)?) {
        var updated = issue
        if let title { updated.title = title }
        if let description { updated.description = description }
        if let priority { updated.priority = priority }
        if let assignee { updated.assigneeId = assignee }
        guard let status, status != issue.status else { return (updated, nil) }
        guard issue.status.canMove(to: status) else { throw .invalidTransition(from: issue.status, to: status) }
        updated.status = status
        return (updated, (issue.status, status))
    }
}

/// One recorded status change; creation is recorded as nil → OPEN.
public struct IssueStatusEvent: Codable, Sendable, Equatable {
    public var issueId: IssueID
    public var from: IssueStatus?
    public var to: IssueStatus
    public var at: Date
    public var actorId: UserID?
}

/// Filters of `GET /api/issues`.
public struct IssueFilter: Sendable, Equatable {
    public var status: IssueStatus?
    public var assigneeId: UserID?
    public var reporterId: UserID?

    public init(status: IssueStatus? = nil, assigneeId: UserID? = nil, reporterId: UserID? = nil) {
        self.status = status
        self.assigneeId = assigneeId
        self.reporterId = reporterId
    }
}
