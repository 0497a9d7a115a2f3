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

    private struct State {
        var entries: [UserID: Entry] = [:]
        /// Moves on every change this process records or forgets: a store read that
        /// began before a change must not write its older copy back over it.
        var generation: UInt64 = 0
    }

    private let repository: any UserRepository
    private let clock: any ElapsedClock
    private let maximumAge: TimeInterval
    private let state = Mutex(State())

    public init(repository: any UserRepository, clock: any ElapsedClock, maximumAge: TimeInterval = 30) {
        self.repository = repository
        self.clock = clock
        self.maximumAge = maximumAge
    }

    /// nil when the user does not exist (any more).
    public func user(id: UserID) async throws(RepositoryError) -> User? {
        if let fresh = freshUser(id: id) { return fresh }
        let (now, generation) = (clock.now(), state.withLock { $0.generation })
        let loaded = try await repository.find(id: id)
        return state.withLock { state -> User? in
            // A change recorded while the store was read is newer than what it returned.
            guard state.generation == generation else { return state.entries[id]?.user }
            state.entries[id] = loaded.map { Entry(user: $0, loadedAt: now) }
            return loaded
        }
    }

    /// The user if held and younger than `maximumAge`; nil when only the store
    /// can tell. Synchronous, for the cached-response fast path.
    public func freshUser(id: UserID) -> User? {
        let now = clock.now()
        guard let cached = state.withLock({ $0.entries[id] }), now.timeIntervalSince(cached.loadedAt) < maximumAge else { return nil }
        return cached.user
    }

    /// Records a change made by this process.
    public func update(_ user: User) {
        let now = clock.now()
        state.withLock { state in
            state.entries[user.id] = Entry(user: user, loadedAt: now)
            state.generation &+= 1
        }
    }

    /// Forgets a user (or everyone), e.g. when another instance changed them.
    public func invalidate(id: UserID? = nil) {
        state.withLock { state in
            if let id { state.entries[id] = nil } else { state.entries.removeAll() }
            state.generation &+= 1
        }
    }
}
