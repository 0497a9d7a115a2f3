import Foundation
import NIOCore
import Testing
import TriageTestSupport
@testable import TriageServer

/// The real AsyncHTTPClient upstream against a scripted server on loopback:
/// each failure mode is classified as the retry policy needs.
@Suite(.serialized) struct HTTPClientUpstreamTests {
    private func attempt(_ behaviour: FakeUpstream.Behaviour, timeout: TimeInterval = 2, readTimeout: TimeInterval = 1) async throws
        -> Result<ByteBuffer, UpstreamFailure>
    {
        let server = try FakeUpstream()
        defer { server.stop() }
        server.script([behaviour])
        let upstream = HTTPClientUpstream(connectTimeout: 1, readTimeout: readTimeout, writeTimeout: 1)
        defer { Task { try? await upstream.shutdownForTests() } }
        let url = try #require(URL(string: server.url))
        do {
            return .success(try await upstream.get(url, timeout: timeout))
        } catch {
            return .failure(error)
        }
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
        let result = try await attempt(.hang, timeout: 5, readTimeout: 0.5)
        #expect(throws: UpstreamFailure.timeout) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(3), "the read timeout, not the attempt budget, ended it")
    }

    @Test func theAttemptBudgetCutsOffASlowAnswer() async throws {
        let started = ContinuousClock.now
        let result = try await attempt(.hang, timeout: 0.3, readTimeout: 5)
        #expect(throws: UpstreamFailure.timeout) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aResetIsAConnectionReset() async throws {
        let result = try await attempt(.reset)
        #expect(throws: UpstreamFailure.connectionReset) { try result.get() }
    }

    @Test func twoMebibytesAreTooLarge() async throws {
        let result = try await attempt(.large(2 << 20))
        #expect(throws: UpstreamFailure.tooLarge) { try result.get() }
    }

    @Test func aClosedPortIsRefusedAtOnce() async throws {
        let server = try FakeUpstream()
        let url = try #require(URL(string: server.url))
        server.stop()
        let upstream = HTTPClientUpstream(connectTimeout: 5, readTimeout: 5, writeTimeout: 5)
        defer { Task { try? await upstream.shutdownForTests() } }
        let started = ContinuousClock.now
        await #expect {
            _ = try await upstream.get(url, timeout: 5)
        } throws: { error in
            if case .refused = error as? UpstreamFailure { return true }
            return false
        }
        #expect(ContinuousClock.now - started < .seconds(1), "no retrying of connection establishment")
    }
}
