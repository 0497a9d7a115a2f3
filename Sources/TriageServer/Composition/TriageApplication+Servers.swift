import ServiceLifecycle
import Foundation
import Hummingbird
import Logging
import NIOCore

extension TriageApplication {
    /// The public listener: the router behind the connection guard, with the
    /// immediate path for cached hits in front of it. Before it binds (so
    /// before READY, and once the store's pool runs) the last good upstream
    /// body is loaded.
    func publicServer(address: BindAddress, eventLoopGroup: any EventLoopGroup) -> some ApplicationProtocol {
        let current = settings.current
        let connectionMetrics = ConnectionMetrics(registry: dependencies.metrics)
        let descriptors = DescriptorLimit.current()
        let connections = ConnectionPolicy(
            registry: ConnectionRegistry(metrics: connectionMetrics) { [settings] in
                ConnectionLimit.effective(configured: settings.current.httpMaxConnections, descriptorLimit: descriptors)
            },
            metrics: connectionMetrics,
            timeouts: { [settings] in ConnectionTimeouts(settings: settings.current) }
        )
        logger.info(
            "at most \(ConnectionLimit.effective(configured: current.httpMaxConnections, descriptorLimit: descriptors)) public connections (descriptor limit \(descriptors))"
        )
        let immediate = immediateResponder()
        let date = HTTPDateHeader(clock: dependencies.clock)
        var server = Application(
            router: publicRouter(),
            server: .http1(idleTimeout: .fromSeconds(current.httpIdleTimeout), connections: connections, immediateResponses: { [requestMetrics] in
                ImmediateResponseHandler(responder: immediate, metrics: requestMetrics, date: date, serverName: Self.serverName)
            }),
            configuration: .init(address: address, serverName: Self.serverName),
            onServerRunning: { [readiness] channel in
                readiness.listenerIsRunning(.http, address: ReadinessTracker.describe(channel.localAddress))
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger.with(listener: "http")
        )
        server.beforeServerStarts { [external, logger] in
            do {
                try await external.lastGood.load(url: current.externalURL)
            } catch {
                logger.warning(
                    "cannot read the last good upstream body; falling back to the default until a call succeeds", metadata: ["error": "\(error)"]
                )
            }
        }
        return server
    }

    /// The control listener on its Unix socket, mode 0660 before READY.
    func controlServer(socketPath: String, eventLoopGroup: any EventLoopGroup) -> some ApplicationProtocol {
        Application(
            router: controlRouter(),
            configuration: .init(address: .unixDomainSocket(path: socketPath)),
            onServerRunning: { [logger, readiness] _ in
                // The umask decided the mode at bind time; tighten it before READY.
                if chmod(socketPath, 0o660) != 0 {
                    logger.error("cannot set the control socket's mode", metadata: ["path": "\(socketPath)", "errno": "\(errno)"])
                }
                readiness.listenerIsRunning(.control, address: socketPath)
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger.with(listener: "control")
        )
    }

    static let serverName = "triaged"
}

extension Logger {
    func with(listener: String) -> Logger {
        var copy = self
        copy[metadataKey: "listener"] = .string(listener)
        return copy
    }
}
