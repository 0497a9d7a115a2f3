import NIOCore

/// The per-connection clocks a client must beat (issue #13: a slow or stalled
/// client costs the daemon a descriptor for a bounded time only).
public struct ConnectionTimeouts: Sendable, Equatable {
    /// From the moment the connection is ready for a request (opened, or the
    /// last response written) until the whole request head is in.
    public var head: TimeAmount
    /// From the request head until the whole body is in.
    public var body: TimeAmount

    public init(head: TimeAmount, body: TimeAmount) {
        self.head = head
        self.body = body
    }

    init(settings: Settings) {
        self.init(head: .fromSeconds(settings.httpHeadTimeout), body: .fromSeconds(settings.httpBodyTimeout))
    }
}

extension TimeAmount {
    /// Settings are seconds with decimals; NIO counts whole units.
    static func fromSeconds(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((seconds * 1_000_000_000).rounded()))
    }
}
