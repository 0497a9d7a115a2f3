import Foundation
import NIOCore

/// `struct ucred` as SO_PEERCRED fills it on Linux.
struct PeerCredentials: Sendable, Equatable {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0

    /// The kernel's record of who connected; nil when the channel is not a socket
    /// that can tell (which the middleware treats as a refusal).
    static func of(_ channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        return try? await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)
        ).get()
    }
}
