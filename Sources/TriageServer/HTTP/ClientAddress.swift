/// Who is calling, for per-address limits: the TCP peer, unless the peer is a
/// proxy the operator trusts (`http.trustedProxies`); then `X-Forwarded-For`
/// is read from the right (the hop our proxy added) and the first address that
/// is not a trusted proxy is the client. Hops further left were written by the
/// client itself and prove nothing, so they are never read.
public struct ClientAddressResolver: Sendable {
    public let trustedProxies: [IPNetwork]

    public init(trustedProxies: [IPNetwork]) {
        self.trustedProxies = trustedProxies
    }

    /// `peer` is the socket's address (nil when there is none, as in-process tests);
    /// `forwardedFor` every `X-Forwarded-For` field value in order.
    /// A hop that is not an IP address stops the walk at the trusted proxy that
    /// reported it, so garbage in the header shares that proxy's budget
    /// instead of minting a fresh one per request.
    public func clientAddress(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard var client = peer else { return nil }
        guard isTrusted(client) else { return client }
        // Bounded: a proxy chain longer than this is an attack, not a deployment.
        let hops = forwardedFor.joined(separator: ",").split(separator: ",").suffix(Self.maximumHops)
        for hop in hops.reversed() {
            guard let address = IPAddress(hop.trimmingCharacters(in: .whitespaces)) else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    static let maximumHops = 16

    private func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}
