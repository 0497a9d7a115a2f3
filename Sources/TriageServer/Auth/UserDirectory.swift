import Foundation
import Synchronization

/// The users that requests act as, kept in memory so an authenticated request
/// costs no database round trip. Changes made by this process go through
/// `update`, so they apply at once; a user it does not hold, or holds for
/// longer than `maximumAge`, is read from the store again, which bounds how
/// long a change made elsewhere (another instance, an operator's SQL) goes unseen.
public final class UserDirectory: Sendable {
    private struct Entry {
        var user: User
        var loadedAt: Date
    }

    private let repository: any UserRepository
    private let clock: any WallClock
    private let maximumAge: TimeInterval
    private let cache = Mutex<[UserID: Entry]>([:])

    public init(repository: any UserRepository, clock: any WallClock, maximumAge: TimeInterval = 30) {
        self.repository = repository
        self.clock = clock
        self.maximumAge = maximumAge
    }

    /// nil when the user does not exist (any more).
    public func user(id: UserID) async throws(RepositoryError) -> User? {
        if let fresh = freshUser(id: id) { return fresh }
        let now = clock.now()
        guard let loaded = try await repository.find(id: id) else {
            invalidate(id: id)
            return nil
        }
        cache.withLock { $0[id] = Entry(user: loaded, loadedAt: now) }
        return loaded
    }

    /// The user if held and younger than `maximumAge`; nil when only the store
    /// can tell. Synchronous, for the cached-response fast path.
    public func freshUser(id: UserID) -> User? {
        let now = clock.now()
        guard let cached = cache.withLock({ $0[id] }), now.timeIntervalSince(cached.loadedAt) < maximumAge else { return nil }
        return cached.user
    }

    /// Records a change made by this process.
    public func update(_ user: User) {
        let now = clock.now()
        cache.withLock { $0[user.id] = Entry(user: user, loadedAt: now) }
    }

    /// Forgets a user (or everyone), e.g. when another instance changed them.
    public func invalidate(id: UserID? = nil) {
        cache.withLock { cache in
            if let id { cache[id] = nil } else { cache.removeAll() }
        }
    }
}
