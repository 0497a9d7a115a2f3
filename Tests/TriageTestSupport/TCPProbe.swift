import Foundation

/// A raw TCP client on loopback for what an HTTP client library will not do:
/// send half a request and wait to see whether the server hangs up.
public enum TCPProbe {
    public struct Outcome: Sendable {
        public let received: String
        /// The server closed the connection (rather than `limit` running out).
        public let closedByPeer: Bool
    }

    /// Blocking: call it through `offThePool`.
    public static func sendAndReadUntilClosed(_ text: String, port: Int, limit: Duration) throws -> Outcome {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var timeout = timeval(tv_sec: Int(limit.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { received += buffer[0..<count]; continue }
            let closed = count == 0 || errno == ECONNRESET
            return Outcome(received: String(decoding: received, as: UTF8.self), closedByPeer: closed)
        }
    }
}
