import Logging
import NIOCore
import Synchronization

/// Collects the "listener is accepting" callbacks of both servers and sends
/// READY=1 once, when the last one arrives.
public final class ReadinessTracker: Sendable {
    public enum Listener: Sendable, Hashable {
        case http, control
    }

    private struct State {
        var httpAddress: String?
        var controlAddress: String?
        var ready = false
    }

    private let state = Mutex(State())
    private let notifier: any SystemdNotifier
    private let logger: Logger

    public init(notifier: any SystemdNotifier, logger: Logger) {
        self.notifier = notifier
        self.logger = logger
    }

    public var isReady: Bool { state.withLock { $0.ready } }

    /// The public listener's bound address (`host:port`), once it accepts.
    public var httpAddress: String? { state.withLock { $0.httpAddress } }

    public func listenerIsRunning(_ listener: Listener, address: String) {
        let becameReady: (http: String, control: String)? = state.withLock { state in
            switch listener {
            case .http: state.httpAddress = address
            case .control: state.controlAddress = address
            }
            guard !state.ready, let http = state.httpAddress, let control = state.controlAddress else { return nil }
            state.ready = true
            return (http, control)
        }
        // Hummingbird logs each listener's address at info; this is the detail.
        logger.debug("listener running", metadata: ["listener": "\(listener)", "address": "\(address)"])
        if let (http, control) = becameReady {
            let summary = Self.readyStatus(httpAddress: http, controlSocket: control)
            notifier.ready(status: summary)
            logger.notice("ready: http on \(http), control socket \(control)", metadata: ["http": "\(http)", "control": "\(control)"])
        }
    }

    public func readyStatus() -> String {
        state.withLock { state in
            Self.readyStatus(httpAddress: state.httpAddress ?? "?", controlSocket: state.controlAddress ?? "?")
        }
    }

    static func readyStatus(httpAddress: String, controlSocket: String) -> String {
        "Ready: serving http://\(httpAddress), control socket \(controlSocket)"
    }

    /// `host:port` for TCP listeners, the path for Unix sockets.
    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        switch address {
        case .unixDomainSocket: return address.pathname ?? "unix socket"
        case .v6: return "[\(address.ipAddress ?? "::")]:\(address.port ?? 0)"
        default: return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
    }
}
