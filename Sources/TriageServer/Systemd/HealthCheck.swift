import NIOCore

/// One thing the watchdog must see answering before it pings systemd.
public protocol HealthCheck: Sendable {
    var name: String { get }
    func check() async throws
}

/// Every event loop runs a task: a loop stuck in a blocking call fails this.
public struct EventLoopHealthCheck: HealthCheck {
    public let name = "event-loops"
    private let group: any EventLoopGroup

    public init(group: any EventLoopGroup) {
        self.group = group
    }

    public func check() async throws {
        for loop in group.makeIterator() {
            try await loop.submit {}.get()
        }
    }
}

/// The store answers a trivial query.
public struct StoreHealthCheck: HealthCheck {
    public let name = "store"
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public func check() async throws {
        try await store.ping()
    }
}
