import NIOCore

/// One thing the watchdog must see answering before it pings systemd.
public protocol HealthCheck: Sendable {
    var name: String { get }
    func check() async throws
}

/// A named probe: it answers, or throws why not.
public struct HealthProbe: HealthCheck {
    public let name: String
    let probe: @Sendable () async throws -> Void

    public func check() async throws {
        try await probe()
    }

    /// Every event loop runs a task: a loop stuck in a blocking call fails this.
    public static func eventLoops(_ group: any EventLoopGroup) -> HealthProbe {
        HealthProbe(name: "event-loops") {
            for loop in group.makeIterator() {
                try await loop.submit {}.get()
            }
        }
    }

    /// The store answers a trivial query.
    public static func store(_ store: any Store) -> HealthProbe {
        HealthProbe(name: "store") { try await store.ping() }
    }
}
