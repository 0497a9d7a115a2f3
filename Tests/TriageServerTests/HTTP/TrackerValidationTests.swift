import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageServer

/// Bad input gets a 400 (or 404/409/413) problem naming the field, and writes nothing.
@Suite(.timeLimit(.minutes(2))) struct TrackerValidationTests {
    struct BadRequest: CustomStringConvertible, Sendable {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let status: HTTPResponse.Status
        let mentions: String
        var description: String { "\(method) \(path) \(body ?? "")" }
    }

    static let longTitle = String(repeating: "t", count: 201)
    static let longText = String(repeating: "d", count: 64 * 1024 + 1)

    static let cases: [BadRequest] = [
        BadRequest(method: .post, path: "/api/issues", body: "{not json", status: .badRequest, mentions: "body"),
        BadRequest(method: .post, path: "/api/issues", body: "", status: .badRequest, mentions: "body"),
        BadRequest(method: .post, path: "/api/issues", body: "[]", status: .badRequest, mentions: "body"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"description":"d"}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t"}"#, status: .badRequest, mentions: "description"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":7,"description":"d"}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":null,"description":"d"}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"   ","description":"d"}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"\#(longTitle)","description":"d"}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"\#(longText)"}"#, status: .badRequest, mentions: "description"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"d","priority":"URGENT"}"#, status: .badRequest, mentions: "priority"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"d","priority":null}"#, status: .badRequest, mentions: "priority"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"d","assigneeId":"bob"}"#, status: .badRequest, mentions: "assigneeId"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"d","assigneeId":999}"#, status: .badRequest, mentions: "assigneeId"),
        BadRequest(method: .post, path: "/api/issues", body: #"{"title":"t","description":"d","assigneeId":-1}"#, status: .badRequest, mentions: "assigneeId"),
        BadRequest(method: .get, path: "/api/issues?status=DONE", body: nil, status: .badRequest, mentions: "status"),
        BadRequest(method: .get, path: "/api/issues?assigneeId=x", body: nil, status: .badRequest, mentions: "assigneeId"),
        BadRequest(method: .get, path: "/api/issues?reporterId=0", body: nil, status: .badRequest, mentions: "reporterId"),
        BadRequest(method: .get, path: "/api/issues?page=-1", body: nil, status: .badRequest, mentions: "page"),
        BadRequest(method: .get, path: "/api/issues?size=0", body: nil, status: .badRequest, mentions: "size"),
        BadRequest(method: .get, path: "/api/issues?size=101", body: nil, status: .badRequest, mentions: "size"),
        BadRequest(method: .get, path: "/api/issues?page=501&size=20", body: nil, status: .badRequest, mentions: "nextCursor"),
        BadRequest(method: .get, path: "/api/issues?page=0&cursor=\(issueCursor(status: ""))", body: nil, status: .badRequest, mentions: "either page or cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=!!", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=" + String(repeating: "A", count: 300), body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=\(ListCursor(list: .users, page: 1, position: [1], scope: []).token)", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=\(issueCursor(status: "DONE"))", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=\(ListCursor(list: .issues, page: 0, position: [1, 1], scope: ["", "", ""]).token)", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=\(ListCursor(list: .issues, page: 1, position: [Int64.max, 1], scope: ["", "", ""]).token)", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?cursor=\(Base64URL.encode(Data("1|issues|1|1780000000000,x,1|,,".utf8)))", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues?status=OPEN&cursor=\(issueCursor(status: "CLOSED"))", body: nil, status: .badRequest, mentions: "other filters"),
        BadRequest(method: .get, path: "/api/issues/1/comments?cursor=\(ListCursor(list: .comments, page: 1, position: [1], scope: ["2"]).token)", body: nil, status: .badRequest, mentions: "another issue"),
        BadRequest(method: .get, path: "/api/users?cursor=\(ListCursor(list: .users, page: 1, position: [1, 2], scope: []).token)", body: nil, status: .badRequest, mentions: "cursor"),
        BadRequest(method: .get, path: "/api/issues/abc", body: nil, status: .badRequest, mentions: "id"),
        BadRequest(method: .get, path: "/api/issues/99999999999999999999", body: nil, status: .badRequest, mentions: "id"),
        BadRequest(method: .get, path: "/api/issues/424242", body: nil, status: .notFound, mentions: "424242"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"status":"DONE"}"#, status: .badRequest, mentions: "status"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"status":"OPEN","title":""}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"assigneeId":true}"#, status: .badRequest, mentions: "assigneeId"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"priority":null}"#, status: .badRequest, mentions: "priority"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"title":null}"#, status: .badRequest, mentions: "title"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"status":null}"#, status: .badRequest, mentions: "status"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"status":"CLOSED"}"#, status: .ok, mentions: "CLOSED"),
        BadRequest(method: .patch, path: "/api/issues/1", body: #"{"status":"IN_PROGRESS"}"#, status: .conflict, mentions: "IN_PROGRESS"),
        BadRequest(method: .post, path: "/api/issues/1/comments", body: #"{"content":""}"#, status: .badRequest, mentions: "content"),
        BadRequest(method: .post, path: "/api/issues/1/comments", body: #"{"text":"hi"}"#, status: .badRequest, mentions: "content"),
        BadRequest(method: .post, path: "/api/issues/424242/comments", body: #"{"content":"hi"}"#, status: .notFound, mentions: "424242"),
        BadRequest(method: .patch, path: "/api/comments/x", body: #"{"content":"hi"}"#, status: .badRequest, mentions: "id"),
        BadRequest(method: .patch, path: "/api/users/2", body: #"{"role":"OWNER"}"#, status: .badRequest, mentions: "role"),
        BadRequest(method: .patch, path: "/api/users/1", body: #"{"role":"MEMBER"}"#, status: .conflict, mentions: "last ADMIN"),
        BadRequest(method: .get, path: "/api/nothing-here", body: nil, status: .notFound, mentions: "Not Found"),
    ]

    static func issueCursor(status: String) -> String {
        ListCursor(list: .issues, page: 1, position: [1_780_000_000_000, 1], scope: [status, "", ""]).token
    }

    @Test(arguments: cases)
    func badInputIsAProblemNamingTheField(request: BadRequest) async throws {
        try await TrackerFixture.with { fixture in
            let admin = try await fixture.user("admin", .admin)
            _ = try await fixture.user("member", .member)
            let issue = try await fixture.store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: admin.user.id, assigneeId: nil), at: fixture.clock.now()
            )
            _ = try await fixture.store.issues.update(id: issue.id, IssueChanges(status: .resolved), actorId: admin.user.id, at: fixture.clock.now())
            try await fixture.test(.router) { client in
                let response = try await client.call(request.method, request.path, token: admin.token, json: request.body)
                #expect(response.status == request.status, "\(request): \(response.text)")
                #expect(response.text.contains(request.mentions), "\(request): \(response.text)")
                if request.status.code >= 400 {
                    let problem = try response.json()
                    #expect(problem["status"] as? Int == Int(request.status.code))
                    #expect(problem["title"] is String && problem["detail"] is String && problem["type"] is String)
                }
            }
            // A refused write leaves nothing behind.
            if request.status.code >= 400 {
                #expect(try await fixture.store.issues.list(IssueFilter(), PageRequest()).total.count == 1)
                #expect(try await fixture.store.issues.statusEvents(issueId: issue.id).count == 2)
                #expect(try await fixture.store.issues.find(id: issue.id)?.status == .resolved)
            }
        }
    }

    @Test func bodiesOverOneMebibyteAre413() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            let huge = #"{"title":"t","description":""# + String(repeating: "x", count: 1 << 20) + #""}"#
            try await fixture.test(.router) { client in
                let response = try await client.call(.post, "/api/issues", token: member.token, json: huge)
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await fixture.store.issues.list(IssueFilter(), PageRequest()).total.count == 0)
        }
    }
}
