import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageCron
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct StatsRouteTests {
    @Test func dailyStatsAreAscendingAndOnlyForAggregatedDays() async throws {
        try await TrackerFixture.with { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            let zone = ZonedTime(zone: try #require(TimeZone(identifier: "UTC")))
            for text in ["2026-11-03", "2026-11-01"] {
                _ = try await fixture.store.stats.aggregate(DayWindow(date: try #require(CivilDate(text)), zone: zone), at: fixture.clock.now())
            }
            try await fixture.test(.router) { client in
                let response = try await client.call(.get, "/api/stats/daily?from=2026-11-01&to=2026-11-05", token: viewer.token)
                #expect(response.status == .ok)
                let days = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(days.map { $0["date"] as? String } == ["2026-11-01", "2026-11-03"])
                #expect(Set(days[0].keys) == ["date", "createdCount", "resolvedCount", "commentCount", "aggregatedAt", "partial"])
                let empty = try await client.call(.get, "/api/stats/daily?from=2025-01-01&to=2025-01-01", token: viewer.token)
                #expect(empty.text == "[]")
                #expect(try await client.call(.get, "/api/stats/daily?from=2026-11-01&to=2026-11-05").status == .unauthorized)
            }
        }
    }

    @Test(arguments: [
        ("/api/stats/daily?to=2026-11-05", "from"),
        ("/api/stats/daily?from=2026-11-01", "to"),
        ("/api/stats/daily?from=2026-13-01&to=2026-11-05", "from"),
        ("/api/stats/daily?from=2026-11-01&to=yesterday", "to"),
        ("/api/stats/daily?from=2026-02-30&to=2026-03-01", "from"),
        ("/api/stats/daily?from=2026-11-05&to=2026-11-01", "to"),
        ("/api/stats/daily?from=2025-01-01&to=2026-11-01", "366"),
    ])
    func badRangesAre400NamingTheParameter(path: String, mentions: String) async throws {
        try await TrackerFixture.with { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            try await fixture.test(.router) { client in
                let response = try await client.call(.get, path, token: viewer.token)
                #expect(response.status == .badRequest)
                #expect(response.text.contains(mentions), "\(path): \(response.text)")
            }
        }
    }
    /// RFC 4180 with a header row of the JSON keys; the same rows as the JSON, today's live one included.
    @Test func csvHasTheJSONsRowsAndColumnsWithCRLF() async throws {
        try await TrackerFixture.with { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            let zone = ZonedTime(zone: try #require(TimeZone(identifier: "UTC")))
            let today = zone.date(at: fixture.clock.now())
            // Distinct counts today (2 created, 1 comment), so a column in the wrong place shows.
            for title in ["one", "two"] {
                let issue = try await fixture.store.issues.create(
                    NewIssue(title: title, description: "", priority: .low, reporterId: viewer.user.id, assigneeId: nil), at: fixture.clock.now()
                )
                if title == "one" { _ = try await fixture.store.comments.create(issueId: issue.id, authorId: viewer.user.id, content: "c", at: fixture.clock.now()) }
            }
            for date in [today.adding(days: -3), today.adding(days: -1)] {
                _ = try await fixture.store.stats.aggregate(DayWindow(date: date, zone: zone), at: fixture.clock.now())
            }
            let range = "from=\(today.adding(days: -5))&to=\(today)"
            try await fixture.test(.router) { client in
                let json = try await client.call(.get, "/api/stats/daily?\(range)", token: viewer.token)
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [[String: Any]])
                #expect(rows.count == 3)
                #expect(json.headers[.vary] == "Accept")
                for request in [("?\(range)&format=csv", nil), ("?\(range)", "text/csv"), ("?\(range)", "application/json;q=0.5, text/csv")] as [(String, String?)] {
                    var headers: HTTPFields = [.authorization: "Bearer \(viewer.token)"]
                    headers[.accept] = request.1
                    let csv = try await client.execute(uri: "/api/stats/daily\(request.0)", method: .get, headers: headers, body: nil)
                    #expect(csv.status == .ok)
                    #expect(csv.headers[.contentType] == "text/csv; charset=utf-8; header=present")
                    #expect(csv.headers[.vary] == "Accept")
                    #expect(csv.headers[.contentDisposition]?.contains("triage-daily-\(today.adding(days: -5))-\(today).csv") == true)
                    #expect(csv.text.hasSuffix("\r\n"))
                    let lines = csv.text.components(separatedBy: "\r\n").dropLast()
                    #expect(lines.first == "date,createdCount,resolvedCount,commentCount,aggregatedAt,partial")
                    let expected = rows.map { row in
                        let counts = ["createdCount", "resolvedCount", "commentCount"].map { "\(row[$0] as? Int ?? -1)" }
                        let partial = (row["partial"] as? Bool).map { $0 ? "true" : "false" } ?? "?"
                        return ([row["date"] as? String ?? "?"] + counts + [row["aggregatedAt"] as? String ?? "?", partial]).joined(separator: ",")
                    }
                    #expect(Array(lines.dropFirst()) == expected)
                    #expect(lines.last?.hasPrefix("\(today),2,0,1,") == true && lines.last?.hasSuffix(",true") == true, "today's live row is last and partial")
                }
            }
        }
    }

    @Test func formatWinsOverAcceptAndJSONIsTheDefault() async throws {
        try await TrackerFixture.with { fixture in
            let viewer = try await fixture.user("viewer", .viewer)
            try await fixture.test(.router) { client in
                let path = "/api/stats/daily?from=2025-01-01&to=2025-01-02"
                for (query, accept, type) in [
                    ("&format=json", "text/csv", "application/json"),
                    ("&format=CSV", "application/json", "text/csv"),
                    ("", "text/html", "application/json"),
                    ("", "text/csv;q=0, */*", "application/json"),
                    ("", "text/*", "text/csv"),
                    ("", "text/csv;q=0.9, application/*;q=0.8", "text/csv"),
                ] {
                    let response = try await client.execute(
                        uri: path + query, method: .get, headers: [.authorization: "Bearer \(viewer.token)", .accept: accept], body: nil
                    )
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(query) \(accept): \(response.headers[.contentType] ?? "none")")
                }
                let bad = try await client.call(.get, path + "&format=xml", token: viewer.token)
                #expect(bad.status == .badRequest)
                #expect(bad.text.contains("format") && bad.text.contains("json, csv"))
            }
        }
    }
}
