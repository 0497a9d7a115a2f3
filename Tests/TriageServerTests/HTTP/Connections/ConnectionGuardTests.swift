import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import TriageServer

/// The cap and the timeouts on embedded channels, whose clocks move only when told.
@Suite(.timeLimit(.minutes(1))) struct ConnectionGuardTests {
    private let timeouts = ConnectionTimeouts(head: .seconds(20), body: .seconds(60))
    private let head = HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/api/issues"))

    private func connect(_ registry: ConnectionRegistry, loop: EmbeddedEventLoop) throws -> EmbeddedChannel {
        let timeouts = timeouts
        let channel = EmbeddedChannel(handler: ConnectionGuardHandler(registry: registry, metrics: nil) { timeouts }, loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func respond(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    @Test func aStalledHeadIsClosedWhenItsTimeIsUp() throws {
        let loop = EmbeddedEventLoop()
        let registry = ConnectionRegistry { 100 }
        let channel = try connect(registry, loop: loop)
        #expect(registry.count == 1)
        loop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(registry.count == 0)
    }

    @Test func theHeadClockStopsAtTheHeadAndTheBodyClockAtTheEnd() throws {
        let loop = EmbeddedEventLoop()
        let registry = ConnectionRegistry { 100 }
        let channel = try connect(registry, loop: loop)
        loop.advanceTime(by: .seconds(10))
        try channel.writeInbound(head)
        loop.advanceTime(by: .seconds(30))
        #expect(channel.isActive, "20 s after the connection opened, but the head came in time")
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        loop.advanceTime(by: .seconds(600))
        #expect(channel.isActive, "a slow handler is not the client's fault: no clock runs while it works")
        try respond(channel)
        loop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "once answered, the next head has 20 s again")
    }

    @Test func aBodyThatTricklesIsClosedAfterTheBodyTimeout() throws {
        let loop = EmbeddedEventLoop()
        let channel = try connect(ConnectionRegistry { 100 }, loop: loop)
        try channel.writeInbound(head)
        for _ in 0..<59 {
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "x")))
            loop.advanceTime(by: .seconds(1))
        }
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "a byte a second does not buy more than the body timeout")
    }

    @Test func atTheCapTheLongestIdleConnectionMakesRoom() throws {
        let loop = EmbeddedEventLoop()
        let registry = ConnectionRegistry { 2 }
        let busy = try connect(registry, loop: loop)
        try busy.writeInbound(head)
        loop.advanceTime(by: .seconds(1))
        let idleOld = try connect(registry, loop: loop)
        loop.advanceTime(by: .seconds(1))
        let newcomer = try connect(registry, loop: loop)
        #expect(!idleOld.isActive, "the longest-idle connection was closed")
        #expect(busy.isActive, "a request being served is never cut, however old")
        #expect(newcomer.isActive)
        #expect(registry.count == 2)
    }

    @Test func whenEveryConnectionIsBusyTheNewcomerIsClosed() throws {
        let loop = EmbeddedEventLoop()
        let registry = ConnectionRegistry { 1 }
        let busy = try connect(registry, loop: loop)
        try busy.writeInbound(head)
        let newcomer = try connect(registry, loop: loop)
        #expect(!newcomer.isActive)
        #expect(busy.isActive)
        #expect(registry.count == 1)
    }

    @Test(arguments: [(0, 1024, 896), (0, 524_288, 524_160), (5000, 1024, 896), (100, 1024, 100), (0, 64, 16)])
    func theCapStaysBelowTheDescriptorLimit(configured: Int, descriptors: Int, expected: Int) {
        #expect(ConnectionLimit.effective(configured: configured, descriptorLimit: descriptors) == expected)
    }
}
