/// Who may call a route: anyone, or a signed-in user with at least a role.
enum RouteAccess: Sendable, Hashable {
    case anyone
    case signedIn(atLeast: Role)

    /// Whether `user` (nil: no valid token) may call the route.
    func allows(_ user: User?) -> Bool {
        switch self {
        case .anyone: return true
        case .signedIn(let minimum): return user.map { $0.role >= minimum } ?? false
        }
    }
}
