import Foundation
import HTTPTypes
import NIOHTTP1
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Synchronization
import Testing
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct PopularImmediateResponderTests {
    private static let path = PublicRoutes().popularIssues.path

    private func request(_ path: String = Self.path, method: HTTPMethod = .GET, authorization: String?) -> HTTPRequestHead {
        .immediate(path, method: method, authorization: authorization)
    }

    private func responder(_ fixture: TrackerFixture, logsRequests: Bool = false) -> PopularImmediateResponder {
        PopularImmediateResponder(
            route: fixture.application.routes.popularIssues, popular: fixture.services.popular,
            gate: ImmediateGate(tokens: fixture.services.tokens, directory: fixture.services.directory) { logsRequests }
        )
    }

    /// What the router leaves behind after one authenticated request: a checked token, a held user, a warm cache.
    private func warmUp(_ fixture: TrackerFixture) async throws -> (token: String, body: ByteBuffer) {
        let viewer = try await fixture.user("viewer", .viewer)
        let id = try await fixture.services.tokens.verify(viewer.token).userID
        _ = try await fixture.services.directory.user(id: id)
        return (viewer.token, try await fixture.services.popular.body())
    }

    @Test func answersWithTheCachedBodyOnceTokenUserAndCacheAreKnown() async throws {
        try await TrackerFixture.with { fixture in
            let warm = try await warmUp(fixture)
            let answer = try #require(responder(fixture).immediateResponse(to: request(authorization: "Bearer \(warm.token)")))
            #expect(answer.body == warm.body)
            #expect(answer.status == .ok)
            #expect(answer.contentType == "application/json")
            #expect(answer.route == "/api/issues/popular")
            #expect(await fixture.services.popular.cache.statistics().hits == 1, "an immediate answer is a cache hit")
        }
    }

    @Test func declinesWhateverTheRouterMightAnswerDifferently() async throws {
        try await TrackerFixture.with { fixture in
            let responder = responder(fixture)
            let other = try await fixture.user("other", .viewer)
            #expect(responder.immediateResponse(to: request(authorization: "Bearer \(other.token)")) == nil, "cold cache, unseen token")

            let warm = try await warmUp(fixture)
            let bearer = "Bearer \(warm.token)"
            #expect(responder.immediateResponse(to: request(authorization: bearer)) != nil)
            #expect(responder.immediateResponse(to: request(authorization: nil)) == nil, "no token: the router answers 401")
            #expect(responder.immediateResponse(to: request(authorization: "bearer \(warm.token)")) != nil, "the scheme is case-insensitive, as for the router")
            #expect(responder.immediateResponse(to: request(authorization: "Basic \(warm.token)")) == nil, "not a bearer header to the router either")
            #expect(responder.immediateResponse(to: request(authorization: "Bearer \(other.token)")) == nil, "a token never verified")
            #expect(responder.immediateResponse(to: request(authorization: "Bearer \(warm.token)x")) == nil, "a different token")
            #expect(responder.immediateResponse(to: request(Self.path + "?page=1", authorization: bearer)) == nil)
            #expect(responder.immediateResponse(to: request("/api/issues/1", authorization: bearer)) == nil)
            #expect(responder.immediateResponse(to: request(method: .HEAD, authorization: bearer)) == nil)
            #expect(self.responder(fixture, logsRequests: true).immediateResponse(to: request(authorization: bearer)) == nil)
        }
    }

    @Test func declinesOnceTheUserTheCacheOrTheTokenIsNoLongerFresh() async throws {
        try await TrackerFixture.with { fixture in
            let responder = responder(fixture)
            let warm = try await warmUp(fixture)
            let bearer = request(authorization: "Bearer \(warm.token)")

            fixture.clock.advance(by: 31)
            #expect(responder.immediateResponse(to: bearer) == nil, "the directory would re-read the user")
            let id = try await fixture.services.tokens.verify(warm.token).userID
            _ = try await fixture.services.directory.user(id: id)
            #expect(responder.immediateResponse(to: bearer) != nil)

            await fixture.services.popular.invalidate()
            #expect(responder.immediateResponse(to: bearer) == nil, "an evicted entry")
            _ = try await fixture.services.popular.body()
            fixture.clock.advance(by: fixture.settings.current.popularCacheTTL + 1)
            _ = try await fixture.services.directory.user(id: id)
            #expect(responder.immediateResponse(to: bearer) == nil, "an expired entry")

            _ = try await fixture.services.popular.body()
            fixture.clock.advance(by: fixture.settings.current.tokenLifetime)
            _ = try await fixture.services.directory.user(id: id)
            _ = try await fixture.services.popular.body()
            #expect(responder.immediateResponse(to: bearer) == nil, "an expired token")
        }
    }

    /// The route's access rule is one declaration: raised to ADMIN, the router refuses a
    /// VIEWER and the pipeline declines the same VIEWER however warm token, user and cache are.
    @Test func aRoleRuleChangedOnTheRouteAppliesToTheImmediatePathToo() async throws {
        var routes = PublicRoutes()
        routes.popularIssues.access = .signedIn(atLeast: .admin)
        try await TrackerFixture.with(routes: routes) { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            let admin = try await fixture.user("admin", .admin)
            let app = fixture.application.publicServer(address: .hostname("127.0.0.1", port: 0), eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            try await app.test(.live) { client in
                #expect(try await client.call(.get, Self.path, token: admin.token).status == .ok, "warms the cache")
                for _ in 0..<2 {
                    let refused = try await client.call(.get, Self.path, token: viewer.token)
                    #expect(refused.status == .forbidden)
                    #expect(refused.text.contains("ADMIN role or higher"))
                }
                #expect(try await client.call(.get, Self.path, token: admin.token).status == .ok)
            }
            let responder = responder(fixture)
            #expect(responder.immediateResponse(to: request(authorization: "Bearer \(viewer.token)")) == nil, "known token and user, warm cache, refused role")
            #expect(responder.immediateResponse(to: request(authorization: "Bearer \(admin.token)")) != nil)
        }
    }

    @Test func overALiveConnectionTheAnswerIsTheRoutersAnswer() async throws {
        try await TrackerFixture.with { fixture in
            let app = fixture.application.publicServer(address: .hostname("127.0.0.1", port: 0), eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            let member = try await fixture.user("member", .member)
            _ = try await fixture.store.issues.create(
                NewIssue(title: "first", description: "", priority: .low, reporterId: member.user.id, assigneeId: nil), at: fixture.clock.now()
            )
            try await app.test(.live) { client in
                let routed = try await client.call(.get, "/api/issues/popular", token: member.token)
                let immediate = try await client.call(.get, "/api/issues/popular", token: member.token)
                #expect(routed.status == .ok)
                #expect(immediate.status == .ok)
                #expect(immediate.text == routed.text)
                // Every header the router sends, the pipeline sends the same, Date aside.
                let exceptDate = { (headers: HTTPFields) in headers.filter { $0.name != .date }.map { "\($0.name): \($0.value)" }.sorted() }
                #expect(exceptDate(immediate.headers) == exceptDate(routed.headers))
                #expect(immediate.headers[.server] == "triaged")
                // The pipeline's Date comes from the fixture's manual clock, the router's from the real one: proof of who answered.
                #expect(immediate.headers[.date] == HTTPDateHeader.format(epochSecond: Int(fixture.clock.now().timeIntervalSince1970)))
                #expect(routed.headers[.date] != immediate.headers[.date])
                let statistics = await fixture.services.popular.cache.statistics()
                #expect(statistics.loads == 1)
                #expect(statistics.hits == 1)

                // A delete through the router evicts; the next answer is loaded afresh.
                let doomed = try await client.call(.post, "/api/issues", token: member.token, json: #"{"title":"second","description":"","priority":"HIGH"}"#)
                let id = try #require(try doomed.json()["id"] as? Int)
                _ = try await client.call(.delete, "/api/issues/\(id)", token: member.token)
                let afterDelete = try await client.call(.get, "/api/issues/popular", token: member.token)
                #expect(afterDelete.text.contains("first"))
                #expect(await fixture.services.popular.cache.statistics().loads == 2)

                var buffer: [UInt8] = []
                fixture.application.dependencies.metrics.emit(into: &buffer)
                #expect(String(decoding: buffer, as: UTF8.self).contains(#"http_server_requests_total{method="GET",route="/api/issues/popular",status="200"} 3"#))
            }
        }
    }
}
