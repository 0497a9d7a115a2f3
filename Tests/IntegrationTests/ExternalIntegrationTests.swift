import Foundation
import Testing
import TriageTestSupport

/// `GET /api/external/example` through the real daemon and a real (fake) upstream.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ExternalIntegrationTests {
    @Test func aClosedPortFallsBackAfterFourAttemptsWithoutWaitingForConnectTimeouts() async throws {
        let daemon = try TestDaemon(environment: ["TRIAGE_EXTERNAL_URL": "http://127.0.0.1:9/posts/1"])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token()
        let started = ContinuousClock.now
        let response = try await daemon.send(.GET, "/api/external/example", token: token)
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 200)
        // Three 1 s delays between four refused attempts. Waiting for a 5 s connect timeout
        // each time would instead run into the 10 s deadline.
        #expect(elapsed >= .seconds(3), "three 1 s delays between four attempts: \(elapsed)")
        #expect(elapsed < .seconds(8), "refusals answer at once: \(elapsed)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        #expect(body["status"] as? String == "fallback")
        #expect(body["degraded"] as? Bool == true)
        #expect((body["message"] as? String)?.contains("refused") == true)
        #expect(Set(body.keys).isSuperset(of: ["userId", "id", "title", "body"]))
        let retries = { daemon.process.standardError.components(separatedBy: "upstream attempt failed; retrying").count - 1 }
        #expect(try await eventually { daemon.process.standardError.contains("attempts=4") }, "the final failure is logged with its attempts")
        #expect(retries() == 3)
    }

    @Test func aHangingUpstreamIsCutOffAtTheDeadline() async throws {
        let upstream = try FakeUpstream()
        defer { upstream.stop() }
        upstream.script([], then: .hang)
        let daemon = try TestDaemon(environment: [
            // Attempts at 0–2 s and 2.2–4.2 s; the third starts at 4.4 s, a second before the
            // 5.4 s deadline, and would run until 6.4 s if the deadline did not cut it off.
            "TRIAGE_EXTERNAL_URL": upstream.url, "TRIAGE_EXTERNAL_READ_TIMEOUT": "2",
            "TRIAGE_EXTERNAL_RETRY_DELAY": "0.2", "TRIAGE_EXTERNAL_DEADLINE": "5.4",
        ])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token()
        let started = ContinuousClock.now
        let response = try await daemon.send(.GET, "/api/external/example", token: token)
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 200)
        #expect(response.body.contains(#""status":"fallback""#))
        #expect(response.body.contains("timeout"))
        #expect(elapsed >= .milliseconds(5300) && elapsed < .milliseconds(6300), "the 5.4 s deadline, not 3 full attempts: \(elapsed)")
        #expect(upstream.requests == 3)
    }

    @Test func successPassesTheBodyThroughAndTheBreakerCanBeReset() async throws {
        let upstream = try FakeUpstream()
        defer { upstream.stop() }
        let original = #"{"userId":1,"id":1,"title":"from upstream","body":"b","extra":[1,2]}"#
        upstream.script([.json(original)], then: .status(404))
        let daemon = try TestDaemon(environment: ["TRIAGE_EXTERNAL_URL": upstream.url, "TRIAGE_EXTERNAL_BREAKER_THRESHOLD": "2"])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token()

        let fresh = try await daemon.send(.GET, "/api/external/example", token: token)
        #expect(fresh.status == 200)
        #expect(fresh.body == original, "the upstream body as it came")
        #expect(fresh.headers.first(name: "X-Triage-Degraded") == "false")

        for _ in 0..<2 { _ = try await daemon.send(.GET, "/api/external/example", token: token) }
        let stale = try await daemon.send(.GET, "/api/external/example", token: token)
        #expect(stale.headers.first(name: "X-Triage-Degraded") == "true")
        #expect(stale.body.contains(#""title":"from upstream""#), "the last good body")
        #expect(stale.body.contains("staleSeconds"))
        #expect(stale.body.contains("open circuit"))
        #expect(upstream.requests == 3, "the open breaker kept the fourth call off the network")

        let status = try await daemon.ctl("status", "--json")
        #expect(status.standardOutput.contains(#""breaker":"open""#))
        let reset = try await daemon.ctl("external", "reset")
        #expect(reset.exitCode == 0)
        #expect(reset.standardOutput.contains("closed"))
        #expect(try await daemon.ctl("status", "--json").standardOutput.contains(#""breaker":"closed""#))
        let metrics = try await daemon.get("/metrics")
        #expect(metrics.body.contains("triage_external_breaker_state 0"))
        #expect(metrics.body.contains(#"triage_external_calls_total{outcome="open-circuit"} 1"#))
    }
}
