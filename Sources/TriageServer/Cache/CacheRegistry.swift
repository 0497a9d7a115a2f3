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
}
