import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct IssueImmediateResponderTests {
    private func request(_ path: String, method: NIOHTTP1.HTTPMethod = .GET, authorization: String?) -> HTTPRequestHead {
        .immediate(path, method: method, authorization: authorization)
    }

    private func responder(_ fixture: TrackerFixture, logsRequests: Bool = false) throws -> IssueImmediateResponder {
        IssueImmediateResponder(
            route: fixture.application.routes.getIssue, views: fixture.services.views,
            reads: try #require(fixture.store.issues as? any ImmediateIssueReads),
            gate: ImmediateGate(tokens: fixture.services.tokens, directory: fixture.services.directory) { logsRequests }
        )
    }

    /// An issue, and a token and user the router has already checked once.
    private func warmUp(_ fixture: TrackerFixture) async throws -> (issue: TriageServer.Issue, token: String) {
        let viewer = try await fixture.user("viewer", .viewer)
        let id = try await fixture.services.tokens.verify(viewer.token).userID
        _ = try await fixture.services.directory.user(id: id)
        let issue = try await fixture.store.issues.create(
            NewIssue(title: "A \"quoted\" title", description: "line\nbreak", priority: .high, reporterId: viewer.user.id, assigneeId: nil),
            at: fixture.clock.now()
        )
        return (issue, viewer.token)
    }

    @Test func answersWhatTheRouterAnswersAndCountsTheViewTheSameWay() async throws {
        try await TrackerFixture.with { fixture in
            let warm = try await warmUp(fixture)
            let path = "/api/issues/\(warm.issue.id)"
            let routed = try await fixture.test(.router) { client in try await client.call(.get, path, token: warm.token) }
            #expect(routed.status == .ok)
            let answer = try #require(try responder(fixture).immediateResponse(to: request(path, authorization: "Bearer \(warm.token)")))
            // The router counted the first view, the pipeline the second: otherwise byte for byte the same.
            var expected = try routed.decode(TriageServer.Issue.self)
            #expect(expected.viewCount == 1)
            expected.viewCount = 2
            #expect(String(buffer: answer.body) == String(buffer: expected.json))
            #expect(answer.contentType == routed.headers[.contentType])
            #expect(answer.status == .ok)
            #expect(answer.route == "/api/issues/{id}")
            #expect(fixture.services.views.unwritten == 2)
            await fixture.services.views.flush()
            #expect(try await fixture.store.issues.find(id: warm.issue.id)?.viewCount == 2)
        }
    }

    @Test func declinesWhateverTheRouterMightAnswerDifferently() async throws {
        try await TrackerFixture.with { fixture in
            let responder = try responder(fixture)
            let warm = try await warmUp(fixture)
            let bearer = "Bearer \(warm.token)"
            let path = "/api/issues/\(warm.issue.id)"
            let other = try await fixture.user("other", .viewer)
            #expect(responder.immediateResponse(to: request(path, authorization: nil)) == nil, "no token: the router answers 401")
            #expect(responder.immediateResponse(to: request(path, authorization: "Bearer \(other.token)")) == nil, "a token never verified")
            #expect(responder.immediateResponse(to: request(path, authorization: "Basic \(warm.token)")) == nil)
            #expect(responder.immediateResponse(to: request(path, method: .HEAD, authorization: bearer)) == nil)
            #expect(responder.immediateResponse(to: request(path, method: .DELETE, authorization: bearer)) == nil)
            for odd in ["/api/issues/0", "/api/issues/-1", "/api/issues/+1", "/api/issues/1x", "/api/issues/", "/api/issues/popular",
                        "/api/issues/99999999999999999999", "\(path)?x=1", "\(path)/comments", "/api/issues/\u{0661}"] {
                #expect(responder.immediateResponse(to: request(odd, authorization: bearer)) == nil, "\(odd)")
            }
            #expect(responder.immediateResponse(to: request("/api/issues/\(warm.issue.id + 1)", authorization: bearer)) == nil,
                    "no such issue: the router writes the 404")
            #expect(try self.responder(fixture, logsRequests: true).immediateResponse(to: request(path, authorization: bearer)) == nil)
            #expect(fixture.services.views.unwritten == 0, "nothing declined counted a view")
            #expect(responder.immediateResponse(to: request(path, authorization: bearer)) != nil)
            #expect(fixture.services.views.unwritten == 1)
        }
    }

    /// The route's access rule is one declaration, for the router and the pipeline alike.
    @Test func aRoleRuleChangedOnTheRouteAppliesToTheImmediatePathToo() async throws {
        var routes = PublicRoutes()
        routes.getIssue.access = .signedIn(atLeast: .member)
        try await TrackerFixture.with(routes: routes) { fixture in
            let warm = try await warmUp(fixture)
            let member = try await fixture.user("member", .member)
            _ = try await fixture.services.directory.user(id: try await fixture.services.tokens.verify(member.token).userID)
            let path = "/api/issues/\(warm.issue.id)"
            #expect(try responder(fixture).immediateResponse(to: request(path, authorization: "Bearer \(warm.token)")) == nil)
            #expect(try responder(fixture).immediateResponse(to: request(path, authorization: "Bearer \(member.token)")) != nil)
        }
    }

    /// PostgreSQL cannot read without suspending: its single issues and lists stay with the router.
    @Test func onlyAStoreThatReadsWithoutSuspendingIsAnsweredFromThePipeline() async throws {
        try await TrackerFixture.with { fixture in
            #expect(fixture.application.immediateResponder().responders.count == 3)
        }
        #expect(SQLiteIssueRepository.self is any ImmediateIssueReads.Type)
        #expect(!(PostgresIssueRepository.self is any ImmediateIssueReads.Type))
    }
}
