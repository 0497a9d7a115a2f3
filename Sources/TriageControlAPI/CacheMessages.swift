/// One cache in `GET /v1/caches`.
public struct CacheStatistics: Codable, Sendable, Equatable {
    public var name: String
    public var hits: Int
    public var misses: Int
    public var loads: Int
    public var loadFailures: Int
    /// Total time spent loading, failures included.
    public var loadSeconds: Double
    public var entries: Int
    public var evictions: Int

    public init(name: String, hits: Int, misses: Int, loads: Int, loadFailures: Int, loadSeconds: Double, entries: Int, evictions: Int) {
        self.name = name
        self.hits = hits
        self.misses = misses
        self.loads = loads
        self.loadFailures = loadFailures
        self.loadSeconds = loadSeconds
        self.entries = entries
        self.evictions = evictions
    }
}

/// `POST /v1/caches/flush`: one cache by name, or all when `name` is absent.
public struct CacheFlushRequest: Codable, Sendable, Equatable {
    public var name: String?

    public init(name: String? = nil) {
        self.name = name
    }
}

public struct CacheFlushResponse: Codable, Sendable, Equatable {
    public struct Flushed: Codable, Sendable, Equatable {
        public var name: String
        public var entries: Int

        public init(name: String, entries: Int) {
            self.name = name
            self.entries = entries
        }
    }

    public var flushed: [Flushed]

    public init(flushed: [Flushed]) {
        self.flushed = flushed
    }
}
