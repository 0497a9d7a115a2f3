import Hummingbird

/// Turns a bearer token into the current user on every route behind it. The
/// user comes from the directory, not the token, so a demotion or deletion
/// takes effect on the next request rather than when the token expires.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = TriageRequestContext
    let tokens: TokenService
    let directory: UserDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = request.headers[.authorization] else {
            throw HTTPProblem.unauthenticated("This route needs a bearer token (Authorization: Bearer …).")
        }
        guard let token = BearerCredential.token(fromAuthorization: authorization) else {
            throw HTTPProblem.unauthenticated("The Authorization header is not a bearer token (Authorization: Bearer …).", invalidToken: true)
        }
        let userID: UserID
        do {
            userID = try await tokens.verify(token)
        } catch {
            throw HTTPProblem.unauthenticated("The bearer token was rejected: \(error).", invalidToken: true)
        }
        guard let user = try await directory.user(id: userID) else {
            throw HTTPProblem.unauthenticated("The user this token was issued to no longer exists.", invalidToken: true)
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}
