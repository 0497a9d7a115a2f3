import HummingbirdCore
import Hummingbird
import NIOHTTP1

/// Serves `GET /api/issues` from the pipeline on a store that reads without
/// suspending (SQLite), under the same conditions as `IssueImmediateResponder`:
/// a token and user already known valid under the route's access rule, request
/// logging off. The query is read by `IssueListRequest`, as the router's handler
/// reads it; anything it refuses (the router writes the 400), a path other than
/// the route's own, or a store error declines.
///
/// Why: the page is two index reads of microseconds, and through the router a
/// list cost the daemon about twice the CPU of the same list answered here
/// (`GET /api/issues?size=20` at 10 M issues, bench/lists.py), short of the
/// 10,000 requests a second issue #15 asks for.
struct IssueListImmediateResponder: ImmediateResponder {
    let route: RouteDeclaration
    let reads: any ImmediateIssueReads
    let tokens: TokenService
    let directory: UserDirectory
    let logsRequests: @Sendable () -> Bool

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        guard request.method.rawValue == route.method.rawValue, isRoutePath(request.uri), !logsRequests(),
            let authorization = request.headers.first(name: "authorization"),
            let token = BearerCredential.token(fromAuthorization: authorization),
            let userID = tokens.knownValidUser(of: token),
            route.access.allows(directory.freshUser(id: userID)),
            let list = try? IssueListRequest(URI(request.uri).queryParameters),
            let slice = try? reads.listNow(list.filter, list.pageRequest)
        else { return nil }
        let page = list.page(slice)
        var headers = HTTPHeaders()
        if let link = list.query.link(to: page, path: route.path) { headers.add(name: "Link", value: link) }
        return ImmediateResponse(contentType: Page<Issue>.contentType, body: page.json, route: route.path, headers: headers)
    }

    /// The route's path exactly, with or without a query string.
    private func isRoutePath(_ uri: String) -> Bool {
        guard uri.hasPrefix(route.path) else { return false }
        let rest = uri.utf8.dropFirst(route.path.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "?")
    }
}
