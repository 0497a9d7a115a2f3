import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct IssueListImmediateResponderTests {
    private func request(_ path: String, method: NIOHTTP1.HTTPMethod = .GET, authorization: String?) -> HTTPRequestHead {
        .immediate(path, method: method, authorization: authorization)
    }

    private func responder(_ fixture: TrackerFixture, logsRequests: Bool = false) throws -> IssueListImmediateResponder {
        IssueListImmediateResponder(
            route: fixture.application.routes.listIssues, reads: try #require(fixture.store.issues as? any ImmediateIssueReads),
            gate: ImmediateGate(tokens: fixture.services.tokens, directory: fixture.services.directory) { logsRequests }
        )
    }

    /// Five issues from two reporters, and a viewer's token the router has already checked once.
    private func warmUp(_ fixture: TrackerFixture) async throws -> (token: String, reporter: UserID) {
        let viewer = try await fixture.user("viewer", .viewer)
        _ = try await fixture.services.directory.user(id: try await fixture.services.tokens.verify(viewer.token).userID)
        let other = try await fixture.user("other", .member)
        for number in 1...5 {
            fixture.clock.advance(by: 1)
            _ = try await fixture.store.issues.create(
                NewIssue(title: "Issue \"\(number)\"", description: "line\nbreak", priority: .high,
                         reporterId: number.isMultiple(of: 2) ? viewer.user.id : other.user.id, assigneeId: nil),
                at: fixture.clock.now()
            )
        }
        return (viewer.token, viewer.user.id)
    }

    @Test func answersEveryListFormByteForByteAsTheRouterDoes() async throws {
        try await TrackerFixture.with { fixture in
            let warm = try await warmUp(fixture)
            let firstPage = try await fixture.test(.router) { client in try await client.call(.get, "/api/issues?size=2", token: warm.token) }
            let cursor = try #require(try firstPage.json()["nextCursor"] as? String)
            let queries = ["", "?size=2", "?size=2&page=0", "?status=OPEN&size=3", "?reporterId=\(warm.reporter)",
                           "?reporterId=\(warm.reporter)&size=1", "?cursor=\(cursor)&size=2", "?cursor=\(cursor)", "?assigneeId=99"]
            for query in queries {
                let path = "/api/issues\(query)"
                let routed = try await fixture.test(.router) { client in try await client.call(.get, path, token: warm.token) }
                #expect(routed.status == .ok, "\(path)")
                let answer = try #require(try responder(fixture).immediateResponse(to: request(path, authorization: "Bearer \(warm.token)")), "\(path)")
                #expect(String(buffer: answer.body) == routed.text, "\(path)")
                #expect(answer.contentType == routed.headers[.contentType], "\(path)")
                #expect(answer.headers["Link"].first == routed.headers[HTTPField.Name("Link")!], "\(path)")
                #expect(answer.status == .ok)
                #expect(answer.route == "/api/issues")
            }
            let link = try await fixture.test(.router) { client in try await client.call(.get, "/api/issues?size=2", token: warm.token) }
            #expect(link.headers[HTTPField.Name("Link")!] != nil, "a page with more after it links to the next")
        }
    }

    @Test func declinesWhateverTheRouterMightAnswerDifferently() async throws {
        try await TrackerFixture.with { fixture in
            let responder = try responder(fixture)
            let warm = try await warmUp(fixture)
            let bearer = "Bearer \(warm.token)"
            let other = try await fixture.user("unseen", .viewer)
            #expect(responder.immediateResponse(to: request("/api/issues", authorization: nil)) == nil, "no token: the router answers 401")
            #expect(responder.immediateResponse(to: request("/api/issues", authorization: "Bearer \(other.token)")) == nil, "a token never verified")
            #expect(responder.immediateResponse(to: request("/api/issues", authorization: "Basic \(warm.token)")) == nil)
            #expect(responder.immediateResponse(to: request("/api/issues", method: .HEAD, authorization: bearer)) == nil)
            #expect(responder.immediateResponse(to: request("/api/issues", method: .POST, authorization: bearer)) == nil)
            // Each of these is a 400 (or another route) the router writes.
            for odd in ["/api/issues/", "/api/issuesx", "/api/issues/1", "/api/issues?size=0", "/api/issues?size=101", "/api/issues?size=x",
                        "/api/issues?page=-1", "/api/issues?page=1&cursor=abc", "/api/issues?cursor=abc", "/api/issues?status=BOGUS",
                        "/api/issues?assigneeId=0", "/api/issues?reporterId=-5", "/api/issues?page=100000",
                        "/api/issues?page=1&size=2"] {  // skipping rows is left to the router, off the event loop
                #expect(responder.immediateResponse(to: request(odd, authorization: bearer)) == nil, "\(odd)")
            }
            #expect(try self.responder(fixture, logsRequests: true).immediateResponse(to: request("/api/issues", authorization: bearer)) == nil)
            #expect(responder.immediateResponse(to: request("/api/issues", authorization: bearer)) != nil)
        }
    }

    /// A cursor made under other filters is refused by the router; the pipeline leaves it to it.
    @Test func declinesACursorUsedWithOtherFilters() async throws {
        try await TrackerFixture.with { fixture in
            let warm = try await warmUp(fixture)
            let firstPage = try await fixture.test(.router) { client in try await client.call(.get, "/api/issues?size=1&status=OPEN", token: warm.token) }
            let cursor = try #require(try firstPage.json()["nextCursor"] as? String)
            let path = "/api/issues?cursor=\(cursor)&status=CLOSED"
            let routed = try await fixture.test(.router) { client in try await client.call(.get, path, token: warm.token) }
            #expect(routed.status == .badRequest)
            #expect(try responder(fixture).immediateResponse(to: request(path, authorization: "Bearer \(warm.token)")) == nil)
        }
    }

    /// The route's access rule is one declaration, for the router and the pipeline alike.
    @Test func aRoleRuleChangedOnTheRouteAppliesToTheImmediatePathToo() async throws {
        var routes = PublicRoutes()
        routes.listIssues.access = .signedIn(atLeast: .member)
        try await TrackerFixture.with(routes: routes) { fixture in
            let warm = try await warmUp(fixture)
            let member = try await fixture.user("member", .member)
            _ = try await fixture.services.directory.user(id: try await fixture.services.tokens.verify(member.token).userID)
            #expect(try responder(fixture).immediateResponse(to: request("/api/issues", authorization: "Bearer \(warm.token)")) == nil)
            #expect(try responder(fixture).immediateResponse(to: request("/api/issues", authorization: "Bearer \(member.token)")) != nil)
        }
    }
}
