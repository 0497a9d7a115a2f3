/// What a user may do. Ordered: every role may do what the roles below it may.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer = "VIEWER"
    case member = "MEMBER"
    case admin = "ADMIN"

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .member: return 1
        case .admin: return 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.rank < rhs.rank
    }
}
