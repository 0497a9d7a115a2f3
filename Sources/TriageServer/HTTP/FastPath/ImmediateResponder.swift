import NIOCore
import NIOHTTP1

/// A complete response that can be written without entering the router.
struct ImmediateResponse: Sendable {
    var status: HTTPResponseStatus = .ok
    var contentType: String
    var body: ByteBuffer
    /// The route template, as the router would label it in the request metrics.
    var route: String
    /// Headers the route adds beside the type, length, date and server (a list's `Link`).
    var headers: HTTPHeaders = [:]
}

/// Answers a request on the event loop (from memory, or a store read that does
/// not suspend), or declines (nil) and the request takes the normal route
/// through Hummingbird's router and middleware. Declining is always safe, so
/// an implementation answers only when it can give exactly the response the
/// router would.
protocol ImmediateResponder: Sendable {
    func immediateResponse(to request: HTTPRequestHead) -> ImmediateResponse?
}
