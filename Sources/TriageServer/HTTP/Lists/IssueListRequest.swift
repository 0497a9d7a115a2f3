import Hummingbird
import HummingbirdCore

/// What a `GET /api/issues` asks for, read from its query string the same way by
/// the router and by the pipeline (`IssueListImmediateResponder`): the filters
/// (a cursor carries its own; filters also given must be the same) and the page.
struct IssueListRequest: Sendable {
    let filter: IssueFilter
    let query: ListQuery

    init(_ parameters: FlatDictionary<Substring, Substring>) throws {
        let given = IssueFilter(
            status: try parameters["status"].map { try RequestInput.enumValue(String($0), field: "status", as: IssueStatus.self) },
            assigneeId: try RequestInput.queryID("assigneeId", in: parameters),
            reporterId: try RequestInput.queryID("reporterId", in: parameters)
        )
        let query = try ListQuery(parameters, list: .issues, positionLength: 2, scopeLength: IssueFilter.cursorScopeLength)
        filter = try query.cursor.map { cursor throws(HTTPProblem) in try IssueFilter(cursorScope: cursor.scope, given: given) } ?? given
        self.query = query
    }

    var pageRequest: PageRequest<IssueListKey> {
        query.pageRequest { IssueListKey(createdAt: StoreTime.date($0[0]), id: $0[1]) }
    }

    func page(_ slice: ListSlice<Issue>) -> Page<Issue> {
        query.page(slice, list: .issues, scope: filter.cursorScope, position: Self.position)
    }

    /// The page and its `Link` header (relative to `path`).
    func response(_ slice: ListSlice<Issue>, path: String) -> EditedResponse<Page<Issue>> {
        query.response(slice, list: .issues, path: path, scope: filter.cursorScope, position: Self.position)
    }

    /// An issue's place in the list, newest first: what its cursor encodes.
    private static func position(_ issue: Issue) -> [Int64] {
        [StoreTime.milliseconds(issue.createdAt), issue.id]
    }
}
