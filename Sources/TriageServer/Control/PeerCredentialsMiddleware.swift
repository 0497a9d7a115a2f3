import Foundation
import Hummingbird

/// Only our own user and root may drive the daemon (DESIGN §5). The socket's
/// mode 0660 already keeps most out; this catches members of its group and
/// anyone the directory was opened to.
struct PeerCredentialsMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext
    let allowedUIDs: Set<uid_t>

    /// The daemon's own user and root, as DESIGN §5 says.
    init(ownUID: uid_t = getuid()) {
        self.init(allowing: [ownUID, 0])
    }

    /// Exactly `allowing`: lets a test refuse its own uid, whoever runs it.
    init(allowing allowedUIDs: Set<uid_t>) {
        self.allowedUIDs = allowedUIDs
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = await PeerCredentials.of(context.channel) else {
            context.logger.warning("control request refused: peer credentials unavailable")
            throw HTTPProblem(.forbidden, detail: "The daemon could not identify the caller.")
        }
        guard allowedUIDs.contains(peer.uid) else {
            context.logger.warning(
                "control request refused: uid \(peer.uid) (pid \(peer.pid)) is neither the daemon's user nor root",
                metadata: ["peer.uid": "\(peer.uid)", "peer.pid": "\(peer.pid)"]
            )
            throw HTTPProblem(.forbidden, detail: "uid \(peer.uid) may not use this control socket; run as the daemon's user or root.")
        }
        return try await next(request, context)
    }
}
