import NIOHTTP1

/// Serves a fresh cached `GET /api/issues/popular` from the pipeline when the
/// bearer token and its user are already known to be valid. It declines
/// whenever the router could answer differently: an unseen or expired token,
/// a user the directory would have to re-read, a cold or stale cache, a query
/// string, or request logging switched on (the router's logger would log it).
struct PopularImmediateResponder: ImmediateResponder {
    static let path = "/api/issues/popular"

    let popular: PopularIssues
    let tokens: TokenService
    let directory: UserDirectory
    let logsRequests: @Sendable () -> Bool

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        guard request.method == .GET, request.uri == Self.path, !logsRequests(),
            let authorization = request.headers.first(name: "authorization"),
            let token = BearerCredential.token(fromAuthorization: authorization),
            let userID = tokens.knownValidUser(of: token),
            directory.freshUser(id: userID) != nil,
            let body = popular.immediateBody()
        else { return nil }
        return ImmediateResponse(contentType: "application/json", body: body, route: Self.path)
    }
}
