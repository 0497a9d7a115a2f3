/// Where an issue is in its life. Transitions follow DESIGN §3.
public enum IssueStatus: String, Codable, Sendable, CaseIterable {
    case open = "OPEN"
    case inProgress = "IN_PROGRESS"
    case resolved = "RESOLVED"
    case closed = "CLOSED"

    /// The statuses a PATCH may move an issue to from `self`.
    public var allowedNextStatuses: Set<IssueStatus> {
        switch self {
        case .open: return [.inProgress, .resolved, .closed]
        case .inProgress: return [.open, .resolved, .closed]
        case .resolved: return [.closed, .open]
        case .closed: return [.open]
        }
    }

    public func canMove(to next: IssueStatus) -> Bool {
        allowedNextStatuses.contains(next)
    }
}

/// How urgent an issue is.
public enum IssuePriority: String, Codable, Sendable, CaseIterable {
    case low = "LOW"
    case medium = "MEDIUM"
    case high = "HIGH"
    case critical = "CRITICAL"
}
