import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with an `ImmediateResponseHandler` put in
    /// front of the HTTPTypes codec, so an immediate answer skips converting
    /// the request and response heads as well as the router, and a
    /// `ConnectionGuardHandler` in front of that for the connection cap and timeouts.
    static func http1(
        idleTimeout: TimeAmount, connections: ConnectionPolicy,
        immediateResponses makeHandler: @escaping @Sendable () -> ImmediateResponseHandler
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            ImmediateResponseChannel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)),
                connections: connections, makeHandler: makeHandler
            )
        }
    }
}

/// What every public connection is held to, shared by all of them.
struct ConnectionPolicy: Sendable {
    let registry: ConnectionRegistry
    let metrics: ConnectionMetrics?
    let timeouts: @Sendable () -> ConnectionTimeouts

    func makeHandler() -> ConnectionGuardHandler {
        ConnectionGuardHandler(registry: registry, metrics: metrics, timeouts: timeouts)
    }
}

struct ImmediateResponseChannel: ServerChildChannel {
    let base: HTTP1Channel
    let connections: ConnectionPolicy
    let makeHandler: @Sendable () -> ImmediateResponseHandler

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        // Runs on the channel's event loop before it reads anything, so no request can miss the handlers.
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
            let immediate = makeHandler()
            try channel.pipeline.syncOperations.addHandler(immediate, position: .before(codec))
            try channel.pipeline.syncOperations.addHandler(connections.makeHandler(), position: .before(immediate))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
