import Hummingbird
import HummingbirdAuth

/// Turns a bearer token into the current user on every route behind it. The
/// user comes from the directory, not the token, so a demotion or deletion
/// takes effect on the next request rather than when the token expires.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = TriageRequestContext
    let tokens: TokenService
    let directory: UserDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let bearer = request.headers.bearer else {
            throw HTTPProblem.unauthenticated("This route needs a bearer token (Authorization: Bearer …).")
        }
        let userID: UserID
        do {
            userID = try await tokens.verify(bearer.token)
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
