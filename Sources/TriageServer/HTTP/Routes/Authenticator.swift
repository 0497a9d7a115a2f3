import Hummingbird

/// Turns a bearer token into the current user for every signed-in route. The
/// user comes from the directory, not the token, so a demotion or deletion
/// takes effect on the next request rather than when the token expires; so
/// does disabling the account or resetting its password.
struct Authenticator: Sendable {
    let tokens: TokenService
    let directory: UserDirectory

    func user(for request: Request) async throws -> User {
        guard let authorization = request.headers[.authorization] else {
            throw HTTPProblem.unauthenticated("This route needs a bearer token (Authorization: Bearer …).")
        }
        guard let token = BearerCredential.token(fromAuthorization: authorization) else {
            throw HTTPProblem.unauthenticated("The Authorization header is not a bearer token (Authorization: Bearer …).", invalidToken: true)
        }
        let verified: TokenService.VerifiedToken
        do {
            verified = try await tokens.verify(token)
        } catch {
            throw HTTPProblem.unauthenticated("The bearer token was rejected: \(error).", invalidToken: true)
        }
        guard let user = try await directory.user(id: verified.userID) else {
            throw HTTPProblem.unauthenticated("The user this token was issued to no longer exists.", invalidToken: true)
        }
        guard user.accepts(tokenIssuedAt: verified.issuedAt) else {
            throw HTTPProblem.unauthenticated(
                user.isDisabled ? "This account is disabled." : "This token was issued before the password was reset; log in again.",
                invalidToken: true
            )
        }
        return user
    }
}
