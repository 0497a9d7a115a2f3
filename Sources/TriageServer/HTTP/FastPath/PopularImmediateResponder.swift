import NIOHTTP1

/// Serves a fresh cached `GET /api/issues/popular` from the pipeline when the
/// bearer token and its user are already known to be valid and the route's
/// access rule (the same declaration the router uses) lets that user in. It
/// declines whenever the router could answer differently: an unseen or
/// expired token, a user the directory would have to re-read or the rule
/// refuses, a cold or stale cache, a query string, or request logging
/// switched on (the router's logger would log it).
struct PopularImmediateResponder: ImmediateResponder {
    let route: RouteDeclaration
    let popular: PopularIssues
    let gate: ImmediateGate

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        guard request.uri == route.path, gate.admits(request, to: route), let body = popular.immediateBody()
        else { return nil }
        return ImmediateResponse(contentType: "application/json", body: body, route: route.path)
    }
}
