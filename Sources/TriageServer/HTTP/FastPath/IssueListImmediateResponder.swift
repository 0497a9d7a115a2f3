import Hummingbird
import HummingbirdCore
import NIOHTTP1

/// Serves `GET /api/issues` from the pipeline on a store that reads without
/// suspending (SQLite), once `ImmediateGate` admits the request. The query is
/// read by `IssueListRequest`, as the router's handler reads it; anything it
/// refuses (the router writes the 400), a path other than the route's own, or
/// a store error declines. So does the `page` form past page 0, which skips up
/// to `PageRequest.maximumOffset` rows: a read that long would hold up every
/// connection on the event loop; the cursor form never skips.
///
/// Why: a page is an index range of at most `size + 1` rows and a total from
/// counters or at most `ListTotal.countLimit + 1` index entries, and through
/// the router a list cost the daemon about 1.5 times the CPU of the same list
/// answered here (`GET /api/issues?size=20` at 10 M issues, bench/lists.py),
/// short of the 10,000 requests a second issue #15 asks for.
struct IssueListImmediateResponder: ImmediateResponder {
    let route: RouteDeclaration
    let reads: any ImmediateIssueReads
    let gate: ImmediateGate

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        guard isRoutePath(request.uri), gate.admits(request, to: route),
            let list = try? IssueListRequest(URI(request.uri).queryParameters), list.pageRequest.offset == 0,
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
