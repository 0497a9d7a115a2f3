import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// `NOTIFY` through the shared pool.
struct PostgresClusterBroadcaster: ClusterBroadcaster {
    static let channel = "triage_events"
    let client: PostgresClient
    let sender: String
    let timeout: Duration
    let logger: Logger

    func broadcast(_ event: ClusterEvent) async {
        do {
            let payload = String(decoding: try JSONEncoder().encode(ClusterMessage(sender: sender, event: event)), as: UTF8.self)
            _ = try await withTimeout(timeout) { [client, logger] in
                try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
            }
        } catch {
            // The others' TTLs and directory re-reads still bound how stale they get.
            logger.warning("cannot tell the other instances", metadata: ["event": "\(event)", "error": "\(PostgresErrors.explain(error))"])
        }
    }
}

/// `LISTEN` on a connection of its own, reconnecting after the server goes
/// away. After every reconnect it asks for a resynchronisation, because
/// notifications sent while it was gone are not replayed.
final class PostgresClusterListener: Service {
    let configuration: PostgresConnection.Configuration
    let sender: String
    let handler: @Sendable (ClusterEvent) async -> Void
    let logger: Logger
    let retryDelay: Duration

    init(
        configuration: PostgresConnection.Configuration, sender: String, retryDelay: Duration = .seconds(1), logger: Logger,
        handler: @escaping @Sendable (ClusterEvent) async -> Void
    ) {
        self.configuration = configuration
        self.sender = sender
        self.retryDelay = retryDelay
        self.logger = logger
        self.handler = handler
    }

    func run() async throws {
        var connectedBefore = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                if connectedBefore { await handler(.resynchronize) }
                connectedBefore = true
                logger.info("listening for other instances' events", metadata: ["channel": "\(PostgresClusterBroadcaster.channel)"])
                do {
                    try await cancelWhenGracefulShutdown {
                        try await connection.listen(on: PostgresClusterBroadcaster.channel) { notifications in
                            for try await notification in notifications { await self.deliver(notification.payload) }
                        }
                    }
                } catch {
                    // A connection must be closed before it goes, even one the server already dropped.
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("lost the event channel to the other instances; reconnecting", metadata: ["error": "\(PostgresErrors.explain(error))"])
            }
            try? await Task.sleep(for: retryDelay)
        }
    }

    private func deliver(_ payload: String) async {
        guard let message = try? JSONDecoder().decode(ClusterMessage.self, from: Data(payload.utf8)), let event = message.event else {
            logger.warning("ignoring an event from another instance that this version does not understand", metadata: ["payload": "\(payload)"])
            return
        }
        guard message.sender != sender else { return }
        await handler(event)
    }
}
