/// What a repository call can fail with, independent of the database behind it.
public enum RepositoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The row the call is about does not exist (any more).
    case notFound(entity: String, id: Int64)
    /// A uniqueness rule would be broken (e.g. a username already taken).
    case conflict(String)
    /// A status change DESIGN §3 does not allow.
    case invalidTransition(from: IssueStatus, to: IssueStatus)
    /// A reference to another row that does not exist (e.g. an unknown assignee).
    case invalidReference(field: String, id: Int64)
    /// The database did not answer in time or is gone; retrying later may work.
    case unavailable(String)
    /// The database answers reads but must not take writes now (`StoreWriteProblem`).
    case cannotWrite(StoreWriteProblem)

    public var description: String {
        switch self {
        case .notFound(let entity, let id): return "\(entity) \(id) does not exist"
        case .conflict(let detail): return detail
        case .invalidTransition(let from, let to): return "an issue cannot move from \(from.rawValue) to \(to.rawValue)"
        case .invalidReference(let field, let id): return "\(field) \(id) does not name an existing user"
        case .unavailable(let reason): return "the database is unavailable: \(reason)"
        case .cannotWrite(let problem): return "the database cannot take writes: \(problem)"
        }
    }
}
