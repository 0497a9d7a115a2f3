import NIOHTTP1

/// Serves `GET /api/issues/{id}` from the pipeline when the store reads without
/// suspending (SQLite) and `ImmediateGate` admits the request. The view is
/// counted exactly as the routed handler counts it (`IssueViews`).
///
/// Why: the router's thread hops, task and head conversions cost more than the
/// read itself (an index lookup of microseconds); through the router a single
/// issue cost 2.7 times a `GET /healthz` in the daemon's CPU (bench/lists.py).
/// It declines whenever the router could answer differently: an id that is not
/// a positive integer, a query string, an unseen or expired token, a user the
/// directory would re-read or the rule refuses, an issue that does not exist
/// (the router writes the 404 problem), a store error, or request logging on.
/// (A store error after the view was counted, possible only while a view batch
/// races the read, lets the router count it a second time.)
///
/// The read blocks the event loop for its length, as the routed read blocks a
/// thread of the cooperative pool: a lookup by key on a WAL file, which never
/// waits for a writer.
struct IssueImmediateResponder: ImmediateResponder {
    let route: RouteDeclaration
    let views: IssueViews
    let reads: any ImmediateIssueReads
    let gate: ImmediateGate

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        guard let id = issueID(in: request.uri), gate.admits(request, to: route), let issue = try? views.viewNow(id, reads: reads)
        else { return nil }
        return ImmediateResponse(contentType: Issue.contentType, body: issue.json, route: route.path)
    }

    /// The id of `/api/issues/{id}` when it is what `RequestInput.id` accepts: digits only, positive, an Int64.
    private func issueID(in uri: String) -> IssueID? {
        let prefix = route.path.dropLast("{id}".count)
        guard uri.hasPrefix(prefix) else { return nil }
        let digits = uri.utf8.dropFirst(prefix.utf8.count)
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let id = Int64(Substring(digits)), id > 0
        else { return nil }
        return id
    }
}

/// Asks each responder in turn; the first answer wins.
struct ImmediateResponders: ImmediateResponder {
    let responders: [any ImmediateResponder]

    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        for responder in responders {
            if let response = responder.immediateResponse(to: request) { return response }
        }
        return nil
    }
}
