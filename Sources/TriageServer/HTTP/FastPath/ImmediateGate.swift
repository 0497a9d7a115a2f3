import NIOHTTP1

/// What every answer from the pipeline requires before it reads anything: the
/// route's method, request logging off (the router's logger would log the
/// request), and a `Bearer` token this process has already verified and not
/// seen expire, whose user, as the directory holds it without a re-read, still
/// accepts it and the route's access rule (the declaration the router uses) admits. Anything
/// else is the router's to answer: 401, 403, a first verification.
struct ImmediateGate: Sendable {
    let tokens: TokenService
    let directory: UserDirectory
    let logsRequests: @Sendable () -> Bool

    func admits(_ request: HTTPRequestHead, to route: RouteDeclaration) -> Bool {
        guard request.method.rawValue == route.method.rawValue, !logsRequests(),
            let authorization = request.headers.first(name: "authorization"),
            let token = BearerCredential.token(fromAuthorization: authorization),
            let verified = tokens.knownValid(token),
            let user = directory.freshUser(id: verified.userID), user.accepts(tokenIssuedAt: verified.issuedAt)
        else { return false }
        return route.access.allows(user)
    }
}
