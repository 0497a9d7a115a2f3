import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(1))) struct ClientAddressTests {
    @Test(arguments: [
        ("192.0.2.7", "192.0.2.7"), ("::1", "::1"), ("::ffff:10.1.2.3", "10.1.2.3"), ("2001:DB8::1", "2001:db8::1"),
    ])
    func addressesParseToTheirCanonicalText(text: String, canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test(arguments: ["", "10.0.0", "10.0.0.256", "0x7f.1", "010.0.0.1", "fe80::1%eth0", "1.2.3.4 ", "::g", String(repeating: "1", count: 100_000)])
    func notAnAddress(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func networksContainTheirAddressesOnly() throws {
        let eight = try #require(IPNetwork("10.0.0.0/8"))
        #expect(eight.contains(try #require(IPAddress("10.255.1.1"))))
        #expect(!eight.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!eight.contains(try #require(IPAddress("::ffff:11.0.0.1"))))
        #expect(eight.contains(try #require(IPAddress("::ffff:10.0.0.1"))), "a v4-mapped peer is its IPv4 address")
        let odd = try #require(IPNetwork("192.168.0.0/23"))
        #expect(odd.contains(try #require(IPAddress("192.168.1.200"))))
        #expect(!odd.contains(try #require(IPAddress("192.168.2.1"))))
        let v6 = try #require(IPNetwork("fd00::/8"))
        #expect(v6.contains(try #require(IPAddress("fd12:3456::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.0.0.1"))), "families never match")
        #expect(try #require(IPNetwork("127.0.0.1")).contains(try #require(IPAddress("127.0.0.1"))), "a bare address is a /32")
        #expect(try #require(IPNetwork("0.0.0.0/0")).contains(try #require(IPAddress("203.0.113.9"))))
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/+8", "proxy"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    private let peer = IPAddress("10.0.0.5")
    private let trusted = ClientAddressResolver(trustedProxies: [IPNetwork("10.0.0.0/8")!, IPNetwork("::1")!])

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() {
        let resolver = ClientAddressResolver(trustedProxies: [])
        #expect(resolver.clientAddress(peer: peer, forwardedFor: ["203.0.113.9"]) == peer)
        #expect(resolver.clientAddress(peer: nil, forwardedFor: ["203.0.113.9"]) == nil)
    }

    @Test func aTrustedProxyNamesTheFirstUntrustedHopFromTheRight() {
        #expect(trusted.clientAddress(peer: peer, forwardedFor: ["203.0.113.9"]) == IPAddress("203.0.113.9"))
        #expect(
            trusted.clientAddress(peer: peer, forwardedFor: ["198.51.100.1, 203.0.113.9, 10.1.1.1"]) == IPAddress("203.0.113.9"),
            "the client's own claim (198.51.100.1) is never believed; our inner proxy (10.1.1.1) is skipped"
        )
        #expect(
            trusted.clientAddress(peer: peer, forwardedFor: ["198.51.100.1", "203.0.113.9"]) == IPAddress("203.0.113.9"),
            "several header fields are one list"
        )
        #expect(trusted.clientAddress(peer: peer, forwardedFor: []) == peer, "no header: the proxy itself")
        #expect(trusted.clientAddress(peer: peer, forwardedFor: ["10.2.2.2, 10.3.3.3"]) == IPAddress("10.2.2.2"), "all trusted: the leftmost")
    }

    @Test func garbageInTheHeaderSharesTheReportingProxysBudget() {
        #expect(trusted.clientAddress(peer: peer, forwardedFor: ["unknown"]) == peer)
        #expect(trusted.clientAddress(peer: peer, forwardedFor: ["203.0.113.9, _hidden, 10.1.1.1"]) == IPAddress("10.1.1.1"))
        let long = Array(repeating: "10.9.9.9", count: 10_000).joined(separator: ",")
        #expect(trusted.clientAddress(peer: peer, forwardedFor: ["203.0.113.9," + long]) == IPAddress("10.9.9.9"), "at most 16 hops are read")
    }
}
