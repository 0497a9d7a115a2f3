import HTTPTypes
import Hummingbird
import HummingbirdCore

/// `size` and either `page` (counted from 0; the compatibility form, which
/// skips rows and is capped at `PageRequest.maximumOffset` of them) or
/// `cursor` (a previous page's `nextCursor`) of a list route.
struct ListQuery: Sendable {
    var size: Int
    var page: Int
    var cursor: ListCursor?

    init(_ request: Request, list: ListCursor.List, positionLength: Int, scopeLength: Int) throws(HTTPProblem) {
        try self.init(request.uri.queryParameters, list: list, positionLength: positionLength, scopeLength: scopeLength)
    }

    /// From the query string's parameters, as the router's `Request.uri` and the
    /// pipeline's `URI` both decode them.
    init(_ query: FlatDictionary<Substring, Substring>, list: ListCursor.List, positionLength: Int, scopeLength: Int) throws(HTTPProblem) {
        size = PageRequest<Int64>.defaultSize
        if let text = query["size"] {
            guard let value = Int(text), (1...PageRequest<Int64>.maximumSize).contains(value) else {
                throw HTTPProblem.invalid("size", "must be an integer from 1 to \(PageRequest<Int64>.maximumSize)")
            }
            size = value
        }
        switch (query["page"], query["cursor"]) {
        case (.some, .some):
            throw HTTPProblem.invalid("cursor", "give either page or cursor, not both")
        case (nil, .some(let token)):
            let cursor = try ListCursor(token: String(token), list: list, positionLength: positionLength, scopeLength: scopeLength)
            page = cursor.page
            self.cursor = cursor
        case (.some(let text), nil):
            guard let value = Int(text), value >= 0 else { throw HTTPProblem.invalid("page", "must be an integer from 0") }
            guard value <= PageRequest<Int64>.maximumOffset / size else {
                throw HTTPProblem.invalid(
                    "page", "page × size must be at most \(PageRequest<Int64>.maximumOffset); follow nextCursor (or the Link header) to go deeper"
                )
            }
            page = value
        case (nil, nil):
            page = 0
        }
    }

    /// The store's request: after the cursor's item, or `page` pages in.
    func pageRequest<Key>(after key: ([Int64]) -> Key) -> PageRequest<Key> {
        PageRequest(page: page, size: size, after: cursor.map { key($0.position) })
    }

    /// The page with its `nextCursor`, and the same cursor as an RFC 8288 `Link` (relative to
    /// `path`, which the route builds from validated values: nothing the client sent verbatim).
    func response<Item>(
        _ slice: ListSlice<Item>, list: ListCursor.List, path: String, scope: [String], position: (Item) -> [Int64]
    ) -> EditedResponse<Page<Item>> {
        let page = self.page(slice, list: list, scope: scope, position: position)
        var headers = HTTPFields()
        if let link = link(to: page, path: path) { headers[Self.link] = link }
        return EditedResponse(headers: headers, response: page)
    }

    /// The page with its `nextCursor` when there is more.
    func page<Item>(_ slice: ListSlice<Item>, list: ListCursor.List, scope: [String], position: (Item) -> [Int64]) -> Page<Item> {
        let next = slice.hasMore ? slice.items.last.map { ListCursor(list: list, page: page + 1, position: position($0), scope: scope).token } : nil
        return Page(slice: slice, page: page, size: size, nextCursor: next)
    }

    /// The value of the `Link` header pointing at the page after `page`, if there is one.
    func link<Item>(to page: Page<Item>, path: String) -> String? {
        page.nextCursor.map { "<\(path)?cursor=\($0)&size=\(size)>; rel=\"next\"" }
    }

    private static let link = HTTPField.Name("Link")!
}
