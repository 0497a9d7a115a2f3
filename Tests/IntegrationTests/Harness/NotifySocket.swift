import Foundation
import Synchronization
import TriageTestSupport

/// Stands in for systemd: an AF_UNIX datagram socket whose path is passed to
/// the daemon as NOTIFY_SOCKET. A thread records every datagram with its arrival time.
final class NotifySocket: Sendable {
    struct Message: Sendable {
        let text: String
        let at: ContinuousClock.Instant
    }

    let path: String
    private let descriptor: Int32
    private let received = Mutex<[Message]>([])
    private let closed = Atomic<Bool>(false)

    init(path: String) throws {
        self.path = path
        descriptor = try UnixSocket.bound(to: path, type: Int32(SOCK_DGRAM.rawValue))
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receiveLoop() }
        thread.start()
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !closed.load(ordering: .acquiring) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = Message(text: String(decoding: buffer[0..<count], as: UTF8.self), at: .now)
            received.withLock { $0.append(message) }
        }
        // Closed here, not in close(): a descriptor closed under a blocked recv could be
        // reused by another test and read from by this thread.
        Foundation.close(descriptor)
    }

    var messages: [Message] { received.withLock { $0 } }

    /// The first message after index `from` that satisfies `matches`, waiting up to `timeout`.
    func waitFor(
        after from: Int = 0, timeout: Duration = .seconds(60), _ matches: (String) -> Bool
    ) async -> (index: Int, message: Message)? {
        try? await eventually(timeout: timeout, interval: .milliseconds(5)) { () -> (index: Int, message: Message)? in
            let all = messages
            guard from < all.count, let index = all[from...].firstIndex(where: { matches($0.text) }) else { return nil }
            return (index, all[index])
        }
    }

    func close() {
        closed.store(true, ordering: .releasing)
        unlink(path)
    }
}
