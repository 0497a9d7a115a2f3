import TriageControlAPI

/// What the control API needs of any cache, whatever it holds.
public protocol ManagedCache: Sendable {
    var name: String { get }
    func statistics() async -> CacheStatistics
    @discardableResult
    func flush() async -> Int
}

extension Cache: ManagedCache {}

/// The daemon's named caches, for `triagectl cache stats` and `cache flush`.
public struct CacheRegistry: Sendable {
    public let caches: [any ManagedCache]

    public init(_ caches: [any ManagedCache]) {
        self.caches = caches
    }

    public func cache(named name: String) -> (any ManagedCache)? {
        caches.first { $0.name == name }
    }

    /// Empties the named cache, or every cache when `name` is nil, and says how
    /// many entries each lost; nil when no cache has that name.
    public func flush(_ name: String?) async -> [CacheFlushResponse.Flushed]? {
        let targets: [any ManagedCache]
        if let name {
            guard let cache = cache(named: name) else { return nil }
            targets = [cache]
        } else {
            targets = caches
        }
        var flushed: [CacheFlushResponse.Flushed] = []
        for cache in targets { flushed.append(.init(name: cache.name, entries: await cache.flush())) }
        return flushed
    }
}
