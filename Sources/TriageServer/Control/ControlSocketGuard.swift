import Foundation

/// Decides what to do about an existing file at the control socket's path
/// before binding (Hummingbird removes it unconditionally when it binds).
enum ControlSocketGuard {
    enum Finding: Equatable {
        case free
        /// A socket file nobody listens on: left by a killed daemon, safe to replace.
        case stale
        /// Another daemon accepts connections there.
        case inUse
        /// Something that is not a socket: never delete an operator's file.
        case notASocket
    }

    static func inspect(path: String) -> Finding {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .free }
        guard (status.st_mode & S_IFMT) == S_IFSOCK else { return .notASocket }
        return acceptsConnections(path: path) ? .inUse : .stale
    }

    static func acceptsConnections(path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Removes the socket file at shutdown, but only if it is still a socket
    /// (a successor daemon may have replaced it with its own already: same kind,
    /// so we also check it no longer accepts).
    static func removeOnShutdown(path: String) {
        guard inspect(path: path) == .stale else { return }
        unlink(path)
    }
}
