import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageServer

/// Every tracker route × every kind of caller: allowed or refused, as DESIGN §3 says.
@Suite(.timeLimit(.minutes(2))) struct TrackerAccessTests {
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case anonymous, viewer, assignedViewer, otherMember, reporter, assignee, admin
        var description: String { rawValue }
    }

    struct Route: CustomStringConvertible, Sendable {
        let method: HTTPRequest.Method
        let path: @Sendable (_ issue: IssueID, _ comment: CommentID, _ target: UserID) -> String
        let body: String?
        let allowed: [Caller: HTTPResponse.Status]
        let name: String
        var description: String { name }
    }

    static let everyone: [Caller: HTTPResponse.Status] = [.viewer: .ok, .assignedViewer: .ok, .otherMember: .ok, .reporter: .ok, .assignee: .ok, .admin: .ok]
    static func members(_ status: HTTPResponse.Status) -> [Caller: HTTPResponse.Status] {
        [.otherMember: status, .reporter: status, .assignee: status, .admin: status]
    }

    static let routes: [Route] = [
        Route(method: .get, path: { _, _, _ in "/api/users/me" }, body: nil, allowed: everyone, name: "GET /api/users/me"),
        Route(method: .get, path: { _, _, _ in "/api/users" }, body: nil, allowed: [.admin: .ok], name: "GET /api/users"),
        Route(method: .patch, path: { _, _, user in "/api/users/\(user)" }, body: #"{"role":"VIEWER"}"#, allowed: [.admin: .ok], name: "PATCH /api/users/{id}"),
        Route(method: .post, path: { _, _, _ in "/api/issues" }, body: #"{"title":"t","description":"d"}"#, allowed: members(.created), name: "POST /api/issues"),
        Route(method: .get, path: { _, _, _ in "/api/issues" }, body: nil, allowed: everyone, name: "GET /api/issues"),
        Route(method: .get, path: { issue, _, _ in "/api/issues/\(issue)" }, body: nil, allowed: everyone, name: "GET /api/issues/{id}"),
        Route(method: .patch, path: { issue, _, _ in "/api/issues/\(issue)" }, body: #"{"title":"renamed"}"#,
              allowed: [.reporter: .ok, .assignee: .ok, .admin: .ok], name: "PATCH /api/issues/{id}"),
        Route(method: .delete, path: { issue, _, _ in "/api/issues/\(issue)" }, body: nil,
              allowed: [.reporter: .noContent, .admin: .noContent], name: "DELETE /api/issues/{id}"),
        Route(method: .get, path: { issue, _, _ in "/api/issues/\(issue)/comments" }, body: nil, allowed: everyone, name: "GET /api/issues/{id}/comments"),
        Route(method: .post, path: { issue, _, _ in "/api/issues/\(issue)/comments" }, body: #"{"content":"c"}"#,
              allowed: members(.created), name: "POST /api/issues/{id}/comments"),
        Route(method: .patch, path: { _, comment, _ in "/api/comments/\(comment)" }, body: #"{"content":"edited"}"#,
              allowed: [.reporter: .ok, .admin: .ok], name: "PATCH /api/comments/{id}"),
        Route(method: .delete, path: { _, comment, _ in "/api/comments/\(comment)" }, body: nil,
              allowed: [.reporter: .noContent, .admin: .noContent], name: "DELETE /api/comments/{id}"),
    ]

    @Test(arguments: routes)
    func routeAllowsExactlyItsCallers(route: Route) async throws {
        try await TrackerFixture.with { fixture in
            var callers: [Caller: (id: UserID, token: String)] = [:]
            for (caller, role) in [
                (Caller.viewer, Role.viewer), (.assignedViewer, .viewer), (.otherMember, .member), (.reporter, .member), (.assignee, .member),
                (.admin, .admin),
            ] {
                let (user, token) = try await fixture.user(caller.rawValue.lowercased(), role)
                callers[caller] = (user.id, token)
            }
            let reporter = try #require(callers[.reporter]).id
            let assignee = try #require(callers[.assignee]).id
            let assignedViewer = try #require(callers[.assignedViewer]).id
            let tokens = callers.mapValues(\.token)
            let target = try await fixture.user("target", .member).user.id

            try await fixture.test(.router) { client in
                for caller in Caller.allCases {
                    // Fresh rows for every call, so a delete by one caller does not change the next one's answer.
                    // The assigned VIEWER's issue names them as its assignee: a VIEWER never writes, even then.
                    let issue = try await fixture.store.issues.create(
                        NewIssue(
                            title: "t", description: "", priority: .low, reporterId: reporter,
                            assigneeId: caller == .assignedViewer ? assignedViewer : assignee
                        ),
                        at: fixture.clock.now()
                    )
                    let comment = try await fixture.store.comments.create(issueId: issue.id, authorId: reporter, content: "c", at: fixture.clock.now())
                    let before = try fixture.tableContents()
                    let response = try await client.call(route.method, route.path(issue.id, comment.id, target), token: tokens[caller], json: route.body)
                    let expected: HTTPResponse.Status = caller == .anonymous ? .unauthorized : route.allowed[caller] ?? .forbidden
                    #expect(response.status == expected, "\(route) as \(caller): \(response.text)")
                    if response.status.code >= 400 {
                        #expect(response.headers[.contentType] == "application/problem+json")
                        #expect(try fixture.tableContents() == before, "\(route) refused for \(caller) but the database changed")
                    }
                    if caller == .anonymous {
                        #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    }
                }
            }
        }
    }
}
