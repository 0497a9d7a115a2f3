import Foundation
import Logging
import NIOCore
import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct ClusterEventTests {
    @Test(arguments: [ClusterEvent.flushCaches("popular"), .flushCaches(nil), .userChanged(42), .resynchronize])
    func messagesSurviveTheWire(event: ClusterEvent) throws {
        let message = ClusterMessage(sender: "host:1", event: event)
        let decoded = try JSONDecoder().decode(ClusterMessage.self, from: JSONEncoder().encode(message))
        #expect(decoded == message)
        #expect(decoded.event == event)
    }

    @Test func anUnknownKindIsNoEvent() throws {
        let decoded = try JSONDecoder().decode(ClusterMessage.self, from: Data(#"{"sender":"h:1","kind":"reboot"}"#.utf8))
        #expect(decoded.event == nil)
    }

    @Test func theHandlerFlushesCachesAndForgetsUsers() async throws {
        try await TrackerFixture.with { fixture in
            let popular = fixture.services.popular
            let other = Cache<ByteBuffer>(name: "other", clock: fixture.clock, timeToLive: { 300 })
            let handler = ClusterEventHandler(caches: CacheRegistry([popular.cache, other]), directory: fixture.services.directory, logger: Logger(label: "test"))
            let member = try await fixture.user("member", .member)

            _ = try await popular.body()
            _ = try await other.value(for: "k") { ByteBuffer(string: "v") }
            await handler.handle(.flushCaches("popular"))
            #expect(await popular.cache.statistics().entries == 0)
            #expect(await other.statistics().entries == 1, "only the named cache")
            await handler.handle(.flushCaches(nil))
            #expect(await other.statistics().entries == 0)

            _ = try await fixture.services.directory.user(id: member.user.id)
            #expect(fixture.services.directory.freshUser(id: member.user.id) != nil)
            await handler.handle(.userChanged(member.user.id))
            #expect(fixture.services.directory.freshUser(id: member.user.id) == nil, "the next request reads the user again")

            _ = try await popular.body()
            _ = try await fixture.services.directory.user(id: member.user.id)
            await handler.handle(.resynchronize)
            #expect(await popular.cache.statistics().entries == 0)
            #expect(fixture.services.directory.freshUser(id: member.user.id) == nil)
        }
    }
}
