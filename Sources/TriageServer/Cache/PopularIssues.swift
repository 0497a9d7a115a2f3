import Foundation
import Hummingbird

/// `GET /api/issues/popular`'s answer, cached as the encoded body: a hit does
/// no database work and no JSON encoding.
public struct PopularIssues: Sendable {
    public static let cacheName = "popular"
    static let key = "top10"
    static let window: TimeInterval = 7 * 86_400
    static let count = 10

    public let cache: Cache<ByteBuffer>
    private let issues: any IssueRepository
    private let clock: any WallClock

    public init(cache: Cache<ByteBuffer>, issues: any IssueRepository, clock: any WallClock) {
        self.cache = cache
        self.issues = issues
        self.clock = clock
    }

    public func body() async throws -> ByteBuffer {
        try await cache.value(for: Self.key) { [issues, clock] in
            let top = try await issues.popular(since: clock.now().addingTimeInterval(-Self.window), limit: Self.count)
            return ByteBuffer(bytes: try JSONCoding.encoder.encode(top))
        }
    }

    /// The cached body if it is fresh and in this process's memory.
    public func immediateBody() -> ByteBuffer? {
        cache.immediateHit(for: Self.key)
    }

    /// Called when an issue is deleted, so it never shows up in the list again.
    public func invalidate() async {
        await cache.evict(Self.key)
    }
}
