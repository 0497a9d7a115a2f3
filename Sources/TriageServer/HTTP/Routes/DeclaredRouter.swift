import Hummingbird

/// Registers declared routes on the public router, each behind its access
/// rule: a signed-in route authenticates the caller and checks the role
/// before its handler runs, so no handler states a role of its own.
struct DeclaredRouter {
    let router: Router<TriageRequestContext>
    let authenticator: Authenticator

    func add<Output: ResponseGenerator>(
        _ route: RouteDeclaration, use handler: @escaping @Sendable (Request, TriageRequestContext) async throws -> Output
    ) {
        router.on(RouterPath(route.path), method: route.method) { [authenticator] request, context in
            guard case .signedIn(let minimum) = route.access else { return try await handler(request, context) }
            let user = try await authenticator.user(for: request)
            guard route.access.allows(user) else {
                throw HTTPProblem(.forbidden, detail: "This needs the \(minimum.rawValue) role or higher; you are \(user.role.rawValue).")
            }
            var context = context
            context.user = user
            return try await handler(request, context)
        }
    }
}
