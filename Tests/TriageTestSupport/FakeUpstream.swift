import Foundation
import Synchronization

/// A tiny HTTP/1.1 server on loopback that answers each request as the test
/// scripts it: normally, with an error status, with a huge or broken body,
/// by hanging, or by resetting the connection. Raw sockets, so every failure
/// mode is exactly what the wire would show.
public final class FakeUpstream: Sendable {
    public enum Behaviour: Sendable, Equatable {
        case json(String)
        case status(Int)
        case body(String)
        /// Sends a body of this many bytes (a valid JSON string).
        case large(Int)
        /// Accepts, reads the request and never answers.
        case hang
        /// Closes with a TCP reset after reading the request.
        case reset
        /// 302 to `location` (absolute or relative).
        case redirect(String)
    }

    public let port: Int
    private let listener: Int32
    private let script = Mutex<(queue: [Behaviour], fallback: Behaviour, requests: Int)>(([], .json(#"{"id":1}"#), 0))
    private let stopped = Atomic<Bool>(false)

    /// Listens on 127.0.0.1 on a free port.
    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var url: String { "http://127.0.0.1:\(port)/posts/1" }

    /// The next requests get these behaviours in order; after them, `then`.
    public func script(_ behaviours: [Behaviour], then: Behaviour = .json(#"{"userId":1,"id":1,"title":"t","body":"b"}"#)) {
        script.withLock { $0 = (behaviours, then, $0.requests) }
    }

    public var requests: Int { script.withLock { $0.requests } }

    public func stop() {
        stopped.store(true, ordering: .releasing)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if stopped.load(ordering: .acquiring) { return }
                continue
            }
            let behaviour = script.withLock { state -> Behaviour in
                state.requests += 1
                return state.queue.isEmpty ? state.fallback : state.queue.removeFirst()
            }
            let thread = Thread { [self] in serve(connection, behaviour) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32, _ behaviour: Behaviour) {
        readRequest(connection)
        switch behaviour {
        case .json(let text):
            respond(connection, status: 200, body: Array(text.utf8))
        case .status(let code):
            respond(connection, status: code, body: Array(#"{"error":"scripted"}"#.utf8))
        case .body(let text):
            respond(connection, status: 200, body: Array(text.utf8))
        case .large(let size):
            respond(connection, status: 200, body: Array("\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size - 2)) + Array("\"".utf8))
        case .hang:
            // Hold the connection until the client gives up or the test ends.
            while !stopped.load(ordering: .acquiring) {
                var byte: UInt8 = 0
                if recv(connection, &byte, 1, 0) <= 0 { break }
            }
            close(connection)
        case .redirect(let location):
            respond(connection, status: 302, body: [], headers: "Location: \(location)\r\n")
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(connection)
        }
    }

    private func readRequest(_ connection: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[0..<count]
            if String(decoding: received, as: UTF8.self).contains("\r\n\r\n") { return }
        }
    }

    private func respond(_ connection: Int32, status: Int, body: [UInt8], headers: String = "") {
        let head = "HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\(headers)Connection: close\r\n\r\n"
        var bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }
            offset += written
        }
        bytes.removeAll()
        close(connection)
    }
}
