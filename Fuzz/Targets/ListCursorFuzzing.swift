@testable import TriageServer

/// `cursor` query values, read as each list reads them. A cursor either is
/// refused with a 400 or decodes to one whose own token decodes back to it;
/// an issue list's filters read from it say the same filters when written
/// again. Never a crash, never another status.
enum ListCursorFuzzing {
    private static let lists: [(list: ListCursor.List, positions: Int, scope: Int)] = [
        (.issues, 2, IssueFilter.cursorScopeLength), (.comments, 1, 1), (.users, 1, 0),
    ]

    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let token = String(fuzzInput: input)
        for (list, positions, scopeLength) in lists {
            let cursor: ListCursor
            do {
                cursor = try ListCursor(token: token, list: list, positionLength: positions, scopeLength: scopeLength)
            } catch {
                guard error.status == .badRequest else { throw FuzzFinding("\(token.debugDescription) as a \(list) cursor: \(error.status)") }
                continue
            }
            guard cursor.page >= 1, cursor.position.count == positions, cursor.scope.count == scopeLength else {
                throw FuzzFinding("\(token.debugDescription) decoded to the wrong shape: \(cursor)")
            }
            let again = try? ListCursor(token: cursor.token, list: list, positionLength: positions, scopeLength: scopeLength)
            guard again == cursor else {
                throw FuzzFinding("\(token.debugDescription) decoded to \(cursor), whose own token decodes to \(String(describing: again))")
            }
            guard list == .issues, let filter = try? IssueFilter(cursorScope: cursor.scope, given: IssueFilter()) else { continue }
            // What the route builds from it next: the keyset bound, through a Date and back.
            let after = IssueListKey(createdAt: StoreTime.date(cursor.position[0]), id: cursor.position[1])
            _ = ListSQL.issuePage(filter, PageRequest(page: cursor.page, size: 20, after: after), .sqlite)
            guard (try? IssueFilter(cursorScope: filter.cursorScope, given: filter)) == filter else {
                throw FuzzFinding("\(token.debugDescription): the filters \(filter) do not survive being written into a cursor")
            }
        }
    }
}
