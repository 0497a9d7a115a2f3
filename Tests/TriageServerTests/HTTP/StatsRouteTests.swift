import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
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
}
