import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TriageTestSupport
@testable import TriageServer

/// The real AsyncHTTPClient upstream against a scripted server on loopback:
/// each failure mode is classified as the retry policy needs.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HTTPClientUpstreamTests {
    /// One attempt against a server scripted with `behaviour`. Every limit the test
    /// is not about is generous (30 s), so a loaded machine cannot trip the wrong one.
    private func attempt(
        _ behaviour: FakeUpstream.Behaviour, then: [FakeUpstream.Behaviour] = [], timeout: TimeInterval = 30, readTimeout: TimeInterval = 30,
        followRedirects: Bool = false, requests: Int? = nil
    ) async throws -> Result<ByteBuffer, UpstreamFailure> {
        let server = try FakeUpstream()
        defer { server.stop() }
        server.script([behaviour] + then)
        let url = try #require(URL(string: server.url))
        defer { if let requests { #expect(server.requests == requests, "requests the upstream saw") } }
        return try await withUpstream(connectTimeout: 30, readTimeout: readTimeout, followRedirects: followRedirects) { upstream in
            do throws(UpstreamFailure) {
                return .success(try await upstream.get(url, timeout: timeout))
            } catch {
                return .failure(error)
            }
        }
    }

    /// An upstream client for the length of `body`, shut down (awaited) afterwards.
    private func withUpstream<Result>(
        connectTimeout: TimeInterval, readTimeout: TimeInterval, followRedirects: Bool = false, _ body: (HTTPClientUpstream) async throws -> Result
    ) async throws -> Result {
        let upstream = HTTPClientUpstream(
            connectTimeout: connectTimeout, readTimeout: readTimeout, writeTimeout: 30, followRedirects: { followRedirects }
        )
        return try await scoped(upstream, cleanUp: { try? await $0.shutdownForTests() }, body)
    }

    @Test func aNormalAnswerIsItsBody() async throws {
        let result = try await attempt(.json(#"{"id":1}"#))
        #expect(try result.get() == ByteBuffer(string: #"{"id":1}"#))
    }

    @Test(arguments: [500, 503, 429, 404])
    func errorStatusesAreReported(code: Int) async throws {
        let result = try await attempt(.status(code))
        #expect(throws: UpstreamFailure.status(code)) { try result.get() }
    }

    @Test func aHangingUpstreamTimesOut() async throws {
        let started = ContinuousClock.now
        let result = try await attempt(.hang, timeout: 60, readTimeout: 0.5)
        #expect(throws: UpstreamFailure.timeout) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30), "the 0.5 s read timeout, not the 60 s attempt budget, ended it")
    }

    @Test func theAttemptBudgetCutsOffASlowAnswer() async throws {
        let started = ContinuousClock.now
        let result = try await attempt(.hang, timeout: 0.3, readTimeout: 60)
        #expect(throws: UpstreamFailure.timeout) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30), "the 0.3 s budget, not the 60 s read timeout, ended it")
    }

    @Test func aResetIsAConnectionReset() async throws {
        let result = try await attempt(.reset)
        #expect(throws: UpstreamFailure.connectionReset) { try result.get() }
    }

    @Test func redirectsAreNotFollowedUnlessConfigured() async throws {
        let result = try await attempt(.redirect("/posts/2"), requests: 1)
        #expect(throws: UpstreamFailure.redirect("HTTP 302, and external.followRedirects is off")) { try result.get() }
    }

    @Test func followedRedirectsStopAfterThreeHops() async throws {
        let followed = try await attempt(.redirect("/posts/2"), then: [.json(#"{"id":2}"#)], followRedirects: true, requests: 2)
        #expect(try followed.get() == ByteBuffer(string: #"{"id":2}"#))
        let looping = try await attempt(
            .redirect("/a"), then: [.redirect("/b"), .redirect("/c"), .redirect("/d"), .json("{}")], followRedirects: true, requests: 4
        )
        #expect(throws: UpstreamFailure.redirect("more than 3 redirects")) { try looping.get() }
    }

    @Test func aRedirectFromHTTPSToHTTPIsNeverFollowed() throws {
        let response = HTTPClientResponse(status: .found, headers: ["Location": "http://downgraded.example/posts/1"])
        let secure = try #require(URL(string: "https://api.example/posts/1"))
        #expect(throws: UpstreamFailure.redirect("from https to http")) {
            _ = try HTTPClientUpstream.redirectTarget(of: response, from: secure, hops: 0, follow: true)
        }
        let upgraded = HTTPClientResponse(status: .movedPermanently, headers: ["Location": "https://api.example/posts/2"])
        let plain = try #require(URL(string: "http://api.example/posts/1"))
        #expect(try HTTPClientUpstream.redirectTarget(of: upgraded, from: plain, hops: 2, follow: true).absoluteString == "https://api.example/posts/2")
    }

    @Test func twoMebibytesAreTooLarge() async throws {
        let result = try await attempt(.large(2 << 20))
        #expect(throws: UpstreamFailure.tooLarge) { try result.get() }
    }

    @Test func aClosedPortIsRefusedAtOnce() async throws {
        let server = try FakeUpstream()
        let url = try #require(URL(string: server.url))
        server.stop()
        try await withUpstream(connectTimeout: 30, readTimeout: 30) { upstream in
            let started = ContinuousClock.now
            await #expect {
                _ = try await upstream.get(url, timeout: 60)
            } throws: { error in
                if case .refused = error as? UpstreamFailure { return true }
                return false
            }
            // Retrying connection establishment would go on until the 30 s connect timeout.
            #expect(ContinuousClock.now - started < .seconds(10), "no retrying of connection establishment")
        }
    }
}
