/// How the issue list's filters travel in its cursor: status, assignee and
/// reporter, each empty when not filtered.
extension IssueFilter {
    static let cursorScopeLength = 3

    var cursorScope: [String] {
        [status?.rawValue ?? "", assigneeId.map(String.init) ?? "", reporterId.map(String.init) ?? ""]
    }

    /// The filters a cursor was made under; `given` (the request's own filters) may repeat them, not change them.
    init(cursorScope scope: [String], given: IssueFilter) throws(HTTPProblem) {
        let refusal = ListCursor.refusal
        guard scope.count == Self.cursorScopeLength else { throw refusal }
        func id(_ text: String) throws(HTTPProblem) -> UserID? {
            guard !text.isEmpty else { return nil }
            guard let value = UserID(text), value > 0 else { throw refusal }
            return value
        }
        let status: IssueStatus?
        if scope[0].isEmpty { status = nil } else {
            guard let value = IssueStatus(rawValue: scope[0]) else { throw refusal }
            status = value
        }
        self.init(status: status, assigneeId: try id(scope[1]), reporterId: try id(scope[2]))
        guard given.status.map({ $0 == self.status }) ?? true, given.assigneeId.map({ $0 == assigneeId }) ?? true,
              given.reporterId.map({ $0 == reporterId }) ?? true
        else { throw HTTPProblem.invalid("cursor", "was made for other filters; repeat them unchanged or leave them out") }
    }
}
