import NIOCore
import NIOHTTP1

/// Enforces `ConnectionTimeouts` on one connection and keeps the
/// `ConnectionRegistry` told whether it is idle. Sits right after the HTTP/1
/// decoder, so it sees whole request parts and every response, the immediate
/// ones included.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: ConnectionRegistry
    private let timeouts: @Sendable () -> ConnectionTimeouts
    private let metrics: ConnectionMetrics?
    private var registered = false
    /// Requests whose head arrived and whose response has not been written yet (pipelining allows several).
    private var unanswered = 0
    private var headTimer: Scheduled<Void>?
    private var bodyTimer: Scheduled<Void>?

    init(registry: ConnectionRegistry, metrics: ConnectionMetrics?, timeouts: @escaping @Sendable () -> ConnectionTimeouts) {
        self.registry = registry
        self.metrics = metrics
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { started(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        started(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        if registered { registry.closed(context.channel) }
        registered = false
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        if registered { registry.closed(context.channel) }
        registered = false
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            headTimer?.cancel()
            headTimer = nil
            registry.busy(context.channel)
            bodyTimer?.cancel()
            bodyTimer = schedule(after: timeouts().body, context: context, head: false)
        case .body:
            break
        case .end:
            bodyTimer?.cancel()
            bodyTimer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 {
            unanswered -= 1
            if unanswered == 0 { waitForHead(context: context) }
        }
        context.write(data, promise: promise)
    }

    private func started(context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        registry.opened(context.channel, at: .now())
        waitForHead(context: context)
    }

    private func waitForHead(context: ChannelHandlerContext) {
        registry.idle(context.channel, since: .now())
        headTimer?.cancel()
        headTimer = schedule(after: timeouts().head, context: context, head: true)
    }

    private func schedule(after delay: TimeAmount, context: ChannelHandlerContext, head: Bool) -> Scheduled<Void> {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        return context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            handler.timedOut(context: context, head: head)
        }
    }

    private func timedOut(context: ChannelHandlerContext, head: Bool) {
        // Closing without an answer: a client that stalls mid-head is not reading one either,
        // and a 408 written into a full send buffer would hold the descriptor longer.
        metrics?.timedOut(head: head)
        stopTimers()
        context.close(mode: .all, promise: nil)
    }

    private func stopTimers() {
        headTimer?.cancel()
        bodyTimer?.cancel()
        headTimer = nil
        bodyTimer = nil
    }
}
