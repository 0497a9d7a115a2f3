import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with an `ImmediateResponseHandler` put in
    /// front of the HTTPTypes codec, so an immediate answer skips converting
    /// the request and response heads as well as the router.
    static func http1(
        idleTimeout: TimeAmount, immediateResponses makeHandler: @escaping @Sendable () -> ImmediateResponseHandler
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            ImmediateResponseChannel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)), makeHandler: makeHandler
            )
        }
    }
}

struct ImmediateResponseChannel: ServerChildChannel {
    let base: HTTP1Channel
    let makeHandler: @Sendable () -> ImmediateResponseHandler

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        // Runs on the channel's event loop before it reads anything, so no request can miss the handler.
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
            try channel.pipeline.syncOperations.addHandler(makeHandler(), position: .before(codec))
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
