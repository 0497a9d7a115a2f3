import Synchronization

/// The users that requests act as, kept in memory so an authenticated request
/// costs no database round trip; a user it does not hold is read from the
/// store once. Role changes go through here so they take effect at once.
public final class UserDirectory: Sendable {
    private let repository: any UserRepository
    private let cache = Mutex<[UserID: User]>([:])

    public init(repository: any UserRepository) {
        self.repository = repository
    }

    public func user(id: UserID) async throws(RepositoryError) -> User? {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        guard let loaded = try await repository.find(id: id) else { return nil }
        cache.withLock { $0[id] = loaded }
        return loaded
    }

    /// Records a change made by this process.
    public func update(_ user: User) {
        cache.withLock { $0[user.id] = user }
    }

    /// Forgets a user (or everyone), e.g. when another instance changed them.
    public func invalidate(id: UserID? = nil) {
        cache.withLock { cache in
            if let id { cache[id] = nil } else { cache.removeAll() }
        }
    }
}
