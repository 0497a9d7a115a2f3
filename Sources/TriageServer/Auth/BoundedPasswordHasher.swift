import Synchronization

/// bcrypt is slow on purpose, so unauthenticated callers could queue unbounded
/// work behind it (sign-ups, logins). At most `capacity` hashes or checks run
/// or wait at once; the next caller is refused at once (503 with Retry-After)
/// instead of waiting behind all of them.
public final class BoundedPasswordHasher: PasswordHasher {
    private let base: any PasswordHasher
    private let capacity: @Sendable () -> Int
    private let admitted = Mutex(0)
    private let metrics: AuthMetrics?

    /// `capacity` is read at every call, so a reloaded `auth.hashQueue` applies at once.
    public init(base: any PasswordHasher, metrics: AuthMetrics? = nil, capacity: @escaping @Sendable () -> Int) {
        self.base = base
        self.metrics = metrics
        self.capacity = capacity
    }

    public func hash(_ password: String) async throws -> String {
        try await whenAdmitted { try await base.hash(password) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await whenAdmitted { try await base.verify(password, hash: hash) }
    }

    private func whenAdmitted<Value>(_ work: () async throws -> Value) async throws -> Value {
        let limit = capacity()
        // The gauge is set under the lock so concurrent callers cannot leave a stale count.
        let entered = admitted.withLock { count -> Bool in
            guard count < limit else { return false }
            count += 1
            metrics?.passwordChecks(inFlight: count)
            return true
        }
        guard entered else {
            metrics?.rejected(.hashQueue)
            throw PasswordQueueFull(capacity: limit)
        }
        defer {
            admitted.withLock { count in
                count -= 1
                metrics?.passwordChecks(inFlight: count)
            }
        }
        return try await work()
    }
}

/// More password work is queued than `auth.hashQueue` allows.
public struct PasswordQueueFull: Error, Equatable {
    public let capacity: Int
}
