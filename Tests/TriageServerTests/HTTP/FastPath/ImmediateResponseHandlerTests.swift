import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Prometheus
import Testing
@testable import TriageServer
import TriageTestDoubles

/// Answers `/answered` with `[1]`, declines everything else.
private struct AnswersOnePath: ImmediateResponder {
    static let path = "/answered"
    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse? {
        request.uri == Self.path ? ImmediateResponse(contentType: "application/json", body: ByteBuffer(string: "[1]"), route: Self.path) : nil
    }
}

@Suite(.timeLimit(.minutes(2))) struct ImmediateResponseHandlerTests {
    let registry = PrometheusCollectorRegistry()
    let channel: EmbeddedChannel

    init() throws {
        let handler = ImmediateResponseHandler(
            responder: AnswersOnePath(), metrics: RequestMetricHandles(registry: registry),
            date: HTTPDateHeader(clock: ManualWallClock(Date(timeIntervalSince1970: 1_780_000_000))), serverName: "triaged"
        )
        channel = EmbeddedChannel(handler: handler)
    }

    private func send(_ path: String, headers: HTTPHeaders = [:], version: HTTPVersion = .http1_1) throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: version, method: .GET, uri: path, headers: headers)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    private func forwarded() throws -> [HTTPServerRequestPart] {
        var parts: [HTTPServerRequestPart] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) { parts.append(part) }
        return parts
    }

    private func written() throws -> [HTTPServerResponsePart] {
        var parts: [HTTPServerResponsePart] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) { parts.append(part) }
        return parts
    }

    private func metrics() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func anAnsweredRequestIsWrittenInFullAndNeverReachesTheRouter() throws {
        try send(AnswersOnePath.path)
        #expect(try forwarded().isEmpty)
        let parts = try written()
        try #require(parts.count == 3)
        guard case .head(let head) = parts[0], case .body(.byteBuffer(let body)) = parts[1], case .end(nil) = parts[2] else {
            Issue.record("expected head, body, end; got \(parts)")
            return
        }
        #expect(head.status == .ok)
        #expect(head.version == .http1_1)
        #expect(head.headers["Content-Type"] == ["application/json"])
        #expect(head.headers["Content-Length"] == ["3"])
        #expect(head.headers["Date"] == ["Thu, 28 May 2026 20:26:40 GMT"])
        #expect(head.headers["Server"] == ["triaged"])
        #expect(String(buffer: body) == "[1]")
        #expect(metrics().contains(#"http_server_requests_total{method="GET",route="/answered",status="200"} 1"#))
    }

    @Test func aDeclinedRequestPassesThroughUnchanged() throws {
        try send("/elsewhere", headers: ["Authorization": "Bearer x"])
        let parts = try forwarded()
        try #require(parts.count == 2)
        guard case .head(let head) = parts[0], case .end(nil) = parts[1] else {
            Issue.record("expected head, end; got \(parts)")
            return
        }
        #expect(head.uri == "/elsewhere")
        #expect(head.headers["Authorization"] == ["Bearer x"])
        #expect(try written().isEmpty)
        #expect(!metrics().contains("/elsewhere"), "the router's middleware counts routed requests")
    }

    @Test func nothingOvertakesARoutedResponseStillBeingWritten() throws {
        try send("/elsewhere")
        try send(AnswersOnePath.path)
        #expect(try forwarded().count == 4, "the second request waits its turn behind the routed one")
        #expect(try written().isEmpty)

        // The router answers both, in order.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }
        #expect(try written().count == 4)

        try send(AnswersOnePath.path)
        #expect(try forwarded().isEmpty, "with nothing open the pipeline answers again")
        #expect(try written().count == 3)
    }

    @Test func requestsWithABodyGoToTheRouter() throws {
        for headers: HTTPHeaders in [["Content-Length": "2"], ["Transfer-Encoding": "chunked"]] {
            try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: AnswersOnePath.path, headers: headers)))
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{}")))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            #expect(try forwarded().count == 3, "\(headers)")
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        }
        #expect(try written().count == 2, "only the router's answers")
    }

    @Test func requestsThatEndTheConnectionOrSpeakHTTP10GoToTheRouter() throws {
        try send(AnswersOnePath.path, headers: ["Connection": "close"])
        #expect(try forwarded().count == 2)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        try send(AnswersOnePath.path, version: .http1_0)
        #expect(try forwarded().count == 2)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        try send(AnswersOnePath.path, headers: ["Connection": "keep-alive"], version: .http1_0)
        #expect(try forwarded().count == 2)
        #expect(try written().count == 2, "only the router's answers")
    }
}

@Suite(.timeLimit(.minutes(2))) struct HTTPDateHeaderTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_780_000_000, "Thu, 28 May 2026 20:26:40 GMT"),
        (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 GMT"),
    ])
    func formatsAsRFC9110(_ second: Int, _ expected: String) {
        #expect(HTTPDateHeader.format(epochSecond: second) == expected)
    }

    @Test func followsTheClock() {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 0))
        let header = HTTPDateHeader(clock: clock)
        #expect(header.value == "Thu, 01 Jan 1970 00:00:00 GMT")
        clock.advance(by: 61.5)
        #expect(header.value == "Thu, 01 Jan 1970 00:01:01 GMT")
    }
}
