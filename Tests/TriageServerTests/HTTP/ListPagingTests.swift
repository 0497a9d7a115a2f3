import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageServer

/// The three lists read by cursor: `nextCursor` and the `Link` header lead
/// through every item once, in the list's order, to a last page with neither;
/// a cursor keeps its filters; `page` still reads the same pages.
@Suite(.timeLimit(.minutes(2))) struct ListPagingTests {
    struct Walked {
        var ids: [Int64] = []
        var pages: [Int] = []
        var totals: Set<Int> = []
    }

    /// Follows the `Link` header from `first` to the end, checking it against `nextCursor` on the way.
    static func walk(_ client: any TestClientProtocol, _ first: String, token: String) async throws -> Walked {
        var walked = Walked()
        var next: String? = first
        while let uri = next {
            let response = try await client.call(.get, uri, token: token)
            #expect(response.status == .ok, "\(uri): \(response.text)")
            let body = try response.json()
            walked.ids += (body["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
            walked.pages.append(body["page"] as? Int ?? -1)
            walked.totals.insert(body["totalItems"] as? Int ?? -1)
            #expect(body["totalItemsExact"] as? Bool == true)
            let cursor = body["nextCursor"] as? String
            let link = response.headers[HTTPField.Name("Link")!]
            if let cursor {
                let target = try #require(link?.firstMatch(of: /^<([^>]+)>; rel="next"$/)?.output.1, "Link: \(link ?? "none")")
                #expect(target.contains("cursor=\(cursor)&"))
                next = String(target)
            } else {
                #expect(link == nil, "the last page has no next link")
                #expect(body.keys.contains("nextCursor"), "nextCursor is null, not missing")
                next = nil
            }
            #expect(walked.pages.count <= 50, "the walk ends")
            if walked.pages.count > 50 { break }
        }
        return walked
    }

    @Test func issuesCommentsAndUsersAreWalkedByCursor() async throws {
        try await TrackerFixture.with { fixture in
            let admin = try await fixture.user("admin", .admin)
            let member = try await fixture.user("member", .member)
            var issues: [TriageServer.Issue] = []
            for index in 0..<23 {
                // Three issues per millisecond: the id breaks createdAt ties across page boundaries.
                if index.isMultiple(of: 3) { fixture.clock.advance(by: 0.001) }
                let reporter = index.isMultiple(of: 2) ? member.user.id : admin.user.id
                issues.append(try await fixture.store.issues.create(
                    NewIssue(title: "issue \(index)", description: "", priority: .low, reporterId: reporter, assigneeId: nil), at: fixture.clock.now()
                ))
            }
            for index in 0..<5 {
                _ = try await fixture.store.comments.create(issueId: issues[0].id, authorId: member.user.id, content: "c\(index)", at: fixture.clock.now())
            }
            let byMemberIDs = issues.filter { $0.reporterId == member.user.id }.map(\.id)
            let commented = issues[0].id
            let newestFirst = issues.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
            try await fixture.test(.router) { client in
                let all = try await Self.walk(client, "/api/issues?size=10", token: member.token)
                #expect(all.ids == newestFirst)
                #expect(all.pages == [0, 1, 2] && all.totals == [23])

                // The cursor carries the filter: the next pages ask for nothing but the cursor.
                let byMember = try await Self.walk(client, "/api/issues?size=4&reporterId=\(member.user.id)", token: member.token)
                #expect(byMember.ids == newestFirst.filter(byMemberIDs.contains))
                #expect(byMember.totals == [12])

                let byMemberFirst = try await client.call(.get, "/api/issues?size=4&reporterId=\(member.user.id)", token: member.token).json()
                let byMemberCursor = try #require(byMemberFirst["nextCursor"] as? String)
                let repeatedFilter = try await client.call(.get, "/api/issues?size=4&reporterId=\(member.user.id)&cursor=\(byMemberCursor)", token: member.token)
                #expect(repeatedFilter.status == .ok, "repeating the cursor's own filter is allowed")

                // The page form reads the same pages, and its nextCursor continues after them.
                let first = try await client.call(.get, "/api/issues?size=10&page=1", token: member.token).json()
                #expect((first["items"] as? [[String: Any]])?.compactMap { ($0["id"] as? NSNumber)?.int64Value } == Array(newestFirst[10..<20]))
                let cursor = try #require(first["nextCursor"] as? String)
                let repeated = try await client.call(.get, "/api/issues?size=10&status=OPEN&cursor=\(cursor)", token: member.token)
                #expect(repeated.status == .badRequest, "a filter the cursor was not made with is refused")
                let third = try await client.call(.get, "/api/issues?size=10&cursor=\(cursor)", token: member.token).json()
                #expect(third["page"] as? Int == 2)
                #expect((third["items"] as? [[String: Any]])?.count == 3)

                let comments = try await Self.walk(client, "/api/issues/\(commented)/comments?size=2", token: member.token)
                #expect(comments.ids == comments.ids.sorted() && comments.ids.count == 5 && comments.pages == [0, 1, 2])
                #expect(comments.totals == [5])

                let users = try await Self.walk(client, "/api/users?size=1", token: admin.token)
                #expect(users.ids == [admin.user.id, member.user.id])
            }
        }
    }
}
