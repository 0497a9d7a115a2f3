/// Every public route, declared once: the router registers these (with their
/// access rule), the immediate path answers `popularIssues` by its rule, the
/// API document's parity test compares against them, and a request for a
/// declared path with another method gets 405 and `Allow` from them.
/// A value, so a test can build the application with a rule changed.
struct PublicRoutes: Sendable {
    var healthz = RouteDeclaration(.get, "/healthz", .anyone)
    var readyz = RouteDeclaration(.get, "/readyz", .anyone)
    var metrics = RouteDeclaration(.get, "/metrics", .anyone)
    var openAPIDocument = RouteDeclaration(.get, "/openapi.yaml", .anyone)

    /// Issue #17: the page signs in by itself, so the page and its files are public.
    var dashboardRoot = RouteDeclaration(.get, "/", .anyone)
    var dashboard = RouteDeclaration(.get, "/dashboard", .anyone)
    var dashboardScript = RouteDeclaration(.get, "/dashboard/dashboard.js", .anyone)
    var dashboardStyle = RouteDeclaration(.get, "/dashboard/dashboard.css", .anyone)
    var dashboardIcon = RouteDeclaration(.get, "/dashboard/favicon.svg", .anyone)

    var signup = RouteDeclaration(.post, "/api/auth/signup", .anyone)
    var login = RouteDeclaration(.post, "/api/auth/login", .anyone)

    var currentUser = RouteDeclaration(.get, "/api/users/me", .signedIn(atLeast: .viewer))
    var listUsers = RouteDeclaration(.get, "/api/users", .signedIn(atLeast: .admin))
    var changeRole = RouteDeclaration(.patch, "/api/users/{id}", .signedIn(atLeast: .admin))

    var createIssue = RouteDeclaration(.post, "/api/issues", .signedIn(atLeast: .member))
    var listIssues = RouteDeclaration(.get, "/api/issues", .signedIn(atLeast: .viewer))
    var popularIssues = RouteDeclaration(.get, "/api/issues/popular", .signedIn(atLeast: .viewer))
    var getIssue = RouteDeclaration(.get, "/api/issues/{id}", .signedIn(atLeast: .viewer))
    var updateIssue = RouteDeclaration(.patch, "/api/issues/{id}", .signedIn(atLeast: .member))
    var deleteIssue = RouteDeclaration(.delete, "/api/issues/{id}", .signedIn(atLeast: .member))

    var listComments = RouteDeclaration(.get, "/api/issues/{id}/comments", .signedIn(atLeast: .viewer))
    var createComment = RouteDeclaration(.post, "/api/issues/{id}/comments", .signedIn(atLeast: .member))
    var updateComment = RouteDeclaration(.patch, "/api/comments/{id}", .signedIn(atLeast: .member))
    var deleteComment = RouteDeclaration(.delete, "/api/comments/{id}", .signedIn(atLeast: .member))

    var dailyStats = RouteDeclaration(.get, "/api/stats/daily", .signedIn(atLeast: .viewer))
    var externalExample = RouteDeclaration(.get, "/api/external/example", .signedIn(atLeast: .viewer))

    var all: [RouteDeclaration] {
        [
            healthz, readyz, metrics, openAPIDocument, dashboardRoot, dashboard, dashboardScript, dashboardStyle, dashboardIcon, signup, login, currentUser, listUsers, changeRole,
            createIssue, listIssues, popularIssues, getIssue, updateIssue, deleteIssue,
            listComments, createComment, updateComment, deleteComment, dailyStats, externalExample,
        ]
    }

    /// The methods the router answers on a request path, for `Allow` (empty: no such path).
    /// Like the router, the most literal template wins: `/api/issues/popular` is not `/api/issues/{id}`.
    func methods(forPath path: Substring) -> [String] {
        let matching = all.filter { $0.matches(path: path) }
        guard let specific = matching.min(by: { $0.parameterCount < $1.parameterCount }) else { return [] }
        return matching.filter { $0.path == specific.path }.map(\.method.rawValue)
    }
}
