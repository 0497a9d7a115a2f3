import Foundation
import Synchronization

/// One cached value and when it stops being served.
public struct CacheEntry<Value: Sendable>: Sendable {
    public var value: Value
    public var expiresAt: Date

    public init(value: Value, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// Where a cache keeps its entries. The in-memory one is the default; a
/// shared backend (Redis, say) implements the same calls and the routes never
/// know the difference.
public protocol CacheStorage<Value>: Sendable {
    associatedtype Value: Sendable
    func entry(for key: String) async throws -> CacheEntry<Value>?
    /// Stores `entry`; `now` lets a store drop the entries that expired before it, so a
    /// key that is never read again (yesterday's, say) does not stay forever. A shared
    /// backend with expiry of its own ignores it.
    func store(_ entry: CacheEntry<Value>, for key: String, now: Date) async throws
    /// Whether there was an entry to remove.
    @discardableResult
    func remove(_ key: String) async throws -> Bool
    /// How many entries went.
    @discardableResult
    func removeAll() async throws -> Int
    func count() async throws -> Int
    /// The entry if this process can read it without waiting (no I/O, no
    /// actor hop); nil otherwise. A shared backend keeps the default.
    func localEntry(for key: String) -> CacheEntry<Value>?
}

extension CacheStorage {
    public func localEntry(for key: String) -> CacheEntry<Value>? { nil }
}

/// Entries in this process's memory, behind a lock (no actor hop on a hit).
public final class InMemoryCacheStorage<Value: Sendable>: CacheStorage {
    private let entries = Mutex<[String: CacheEntry<Value>]>([:])

    public init() {}

    public func entry(for key: String) -> CacheEntry<Value>? {
        entries.withLock { $0[key] }
    }

    public func localEntry(for key: String) -> CacheEntry<Value>? {
        entry(for: key)
    }

    public func store(_ entry: CacheEntry<Value>, for key: String, now: Date) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.expiresAt > now }
            entries[key] = entry
        }
    }

    @discardableResult
    public func remove(_ key: String) -> Bool {
        entries.withLock { $0.removeValue(forKey: key) != nil }
    }

    @discardableResult
    public func removeAll() -> Int {
        entries.withLock { entries in
            let count = entries.count
            entries.removeAll()
            return count
        }
    }

    public func count() -> Int {
        entries.withLock { $0.count }
    }
}
