import Foundation
import Testing

/// The popular cache through the real daemon and `triagectl cache`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PopularCacheIntegrationTests {
    private func statistics(_ daemon: TestDaemon) async throws -> [String: Any] {
        let result = try await daemon.ctl("cache", "stats", "--json")
        #expect(result.exitCode == 0)
        let caches = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        return try #require(caches.first { $0["name"] as? String == "popular" })
    }

    @Test func flushThroughTriagectlEmptiesTheCacheAndTheNextRequestReloads() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "admin", role: "admin")
        #expect(try await daemon.send(.POST, "/api/issues", json: #"{"title":"hot","description":""}"#, token: token).status == 201)

        for _ in 0..<3 { #expect(try await daemon.send(.GET, "/api/issues/popular", token: token).status == 200) }
        var popular = try await statistics(daemon)
        #expect(Set(popular.keys) == ["name", "hits", "misses", "loads", "loadFailures", "loadSeconds", "entries", "evictions"])
        #expect(popular["loads"] as? Int == 1)
        #expect(popular["hits"] as? Int == 2)
        #expect(popular["entries"] as? Int == 1)

        let flush = try await daemon.ctl("cache", "flush", "popular")
        #expect(flush.exitCode == 0)
        #expect(flush.standardOutput.contains("popular"))
        popular = try await statistics(daemon)
        #expect(popular["entries"] as? Int == 0)

        let body = try await daemon.send(.GET, "/api/issues/popular", token: token)
        #expect(body.body.contains("\"hot\""))
        popular = try await statistics(daemon)
        #expect(popular["loads"] as? Int == 2, "the request after the flush loaded again")

        let all = try await daemon.ctl("cache", "flush", "--json")
        #expect(all.exitCode == 0)
        #expect(all.standardOutput.contains(#""entries":1"#))
        let unknown = try await daemon.ctl("cache", "flush", "nope")
        #expect(unknown.exitCode == 1)
        #expect(unknown.standardError.contains("no cache named"))

        let table = try await daemon.ctl("cache", "stats")
        #expect(table.standardOutput.split(separator: "\n").first?.hasPrefix("NAME") == true)
        let metrics = try await daemon.get("/metrics")
        #expect(metrics.body.contains(#"triage_cache_loads_total{cache="popular"} 2"#))
    }
}
