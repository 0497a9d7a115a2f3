import NIOCore
import NIOHTTP1

/// Sits right after the HTTP/1 decoder of every public connection and lets an
/// `ImmediateResponder` answer requests straight from the channel pipeline.
///
/// Why: a cached `GET /api/issues/popular` is a dictionary lookup, yet going
/// through the async router costs two thread hops, a task and two header
/// conversions per request, which on two cores held it to about half of
/// nginx's throughput on the same bytes (bench/popular.py). Everything the
/// responder declines, and every request while a routed response on the
/// connection is still being written (HTTP/1.1 answers in order), passes
/// through untouched.
final class ImmediateResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: any ImmediateResponder
    private let metrics: RequestMetricHandles
    private let date: HTTPDateHeader
    private let serverName: String

    /// Requests handed to the router whose responses have not ended yet.
    private var routedResponsesOpen = 0
    /// The answer to the request being read, written once its end arrives.
    private var pending: (request: HTTPRequestHead, response: ImmediateResponse, started: ContinuousClock.Instant)?

    init(responder: any ImmediateResponder, metrics: RequestMetricHandles, date: HTTPDateHeader, serverName: String) {
        self.responder = responder
        self.metrics = metrics
        self.date = date
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            let started = ContinuousClock.now
            if routedResponsesOpen == 0, Self.isAnswerable(request), let response = responder.immediateResponse(to: request) {
                pending = (request, response, started)
            } else {
                routedResponsesOpen += 1
                context.fireChannelRead(data)
            }
        case .body:
            // Only requests without a body are answered here, so a body belongs to a routed request.
            if pending == nil { context.fireChannelRead(data) }
        case .end:
            guard let answer = pending else {
                context.fireChannelRead(data)
                return
            }
            pending = nil
            context.write(wrapOutboundOut(.head(head(for: answer.response))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(answer.response.body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            metrics.record(
                method: answer.request.method.rawValue, route: answer.response.route, status: Int(answer.response.status.code),
                duration: ContinuousClock.now - answer.started
            )
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routedResponsesOpen = max(0, routedResponsesOpen - 1) }
        context.write(data, promise: promise)
    }

    /// A keep-alive HTTP/1.1 request without a body. Anything else (a body to
    /// drain, a connection to close, HTTP/1.0's rules) is left to the router.
    private static func isAnswerable(_ request: HTTPRequestHead) -> Bool {
        request.version == .http1_1 && request.isKeepAlive
            && !request.headers.contains(name: "content-length") && !request.headers.contains(name: "transfer-encoding")
    }

    private func head(for response: ImmediateResponse) -> HTTPResponseHead {
        var headers: HTTPHeaders = [
            "Content-Type": response.contentType, "Content-Length": String(response.body.readableBytes), "Date": date.value,
            "Server": serverName,
        ]
        headers.add(contentsOf: response.headers)
        return HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
    }
}
