import Foundation

/// A blocking HTTP/1.1 client over a plain socket, for what client libraries
/// will not do: speak from a chosen loopback address (127.0.0.2 is another
/// client to the server), hold many half-sent requests open. Call it through
/// `offThePool`.
public enum RawHTTP {
    public struct Response: Sendable {
        public let status: Int
        public let head: String
        public let body: String

        /// The first value of header `name` (case-insensitive), if any.
        public func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A connected socket from `source` to 127.0.0.1:`port`; the caller closes it.
    public static func connect(port: Int, from source: String = "127.0.0.1") throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = local
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = bound == 0 && withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        guard connected else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "connect from \(source) to port \(port): \(reason)")
        }
        return descriptor
    }

    /// Sends all of `bytes` (blocking).
    public static func send(_ bytes: [UInt8], on descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// One request with `Connection: close`, read until the server closes or `timeout` passes.
    public static func request(
        _ method: String, _ path: String, port: Int, from source: String = "127.0.0.1",
        headers: [String: String] = [:], body: String? = nil, timeout: Int = 30
    ) throws -> Response {
        let descriptor = try connect(port: port, from: source)
        defer { close(descriptor) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let payload = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        try send(Array((head + "\r\n").utf8) + payload, on: descriptor)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[0..<count]
                continue
            }
            if count < 0 && errno != ECONNRESET && received.isEmpty {
                throw Failure(description: "no answer to \(method) \(path) within \(timeout) s: \(String(cString: strerror(errno)))")
            }
            break
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no response head in: \(text.prefix(200))") }
        let responseHead = String(text[..<split.lowerBound])
        let statusField = responseHead.split(separator: " ", maxSplits: 2).dropFirst().first
        guard let statusField, let status = Int(statusField) else {
            throw Failure(description: "no status in: \(responseHead.prefix(200))")
        }
        return Response(status: status, head: responseHead, body: String(text[split.upperBound...]))
    }

    /// A slow client: sends `opening`, then `byte` every `every` seconds, `times` times;
    /// true as soon as the server closes the connection.
    public static func trickleUntilClosed(port: Int, opening: String, byte: String, every seconds: Int, times: Int) throws -> Bool {
        let descriptor = try connect(port: port)
        defer { close(descriptor) }
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try send(Array(opening.utf8), on: descriptor)
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<times {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 || (count < 0 && errno == ECONNRESET) { return true }
            // The server may have closed since: a failed send shows on the next read.
            _ = try? send(Array(byte.utf8), on: descriptor)
        }
        return false
    }

    /// Raises this process's soft descriptor limit to at least `wanted`
    /// (raising the hard limit too when allowed, as for root), for tests that hold many sockets.
    public static func allowDescriptors(_ wanted: Int) throws {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { throw Failure(description: "getrlimit failed") }
        guard limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = rlim_t(wanted)
        limit.rlim_max = max(limit.rlim_max, rlim_t(wanted))
        guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw Failure(description: "cannot raise the open-descriptor limit to \(wanted): \(String(cString: strerror(errno)))")
        }
    }
}
