import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The real upstream: AsyncHTTPClient with per-attempt connect, read and write
/// timeouts and no retrying of its own (our policy decides). A `Service`, so
/// the daemon's group shuts the client down cleanly.
public final class HTTPClientUpstream: Upstream, Service {
    private let client: HTTPClient
    private let maximumBody: Int
    private let followRedirects: @Sendable () -> Bool
    /// DESIGN §8: at most this many redirects, and only when `external.followRedirects` is on.
    static let maximumRedirects = 3
    static let redirectStatuses: Set<UInt> = [301, 302, 303, 307, 308]

    public init(
        connectTimeout: TimeInterval, readTimeout: TimeInterval, writeTimeout: TimeInterval, maximumBody: Int = 1 << 20,
        followRedirects: @escaping @Sendable () -> Bool = { false }
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .milliseconds(Int64(connectTimeout * 1000)), read: .milliseconds(Int64(readTimeout * 1000)),
            write: .milliseconds(Int64(writeTimeout * 1000))
        )
        // Left on, a refused connection is retried until the connect timeout: 5 s instead of at once.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Redirects are ours to judge (never https→http; off unless configured), hop by hop in `get`.
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.maximumBody = maximumBody
        self.followRedirects = followRedirects
    }

    /// With the policy's per-phase timeouts, fixed for the client's life (`external.*Timeout` need a restart).
    public convenience init(policy: ExternalCallPolicy, followRedirects: @escaping @Sendable () -> Bool) {
        self.init(
            connectTimeout: policy.connectTimeout, readTimeout: policy.readTimeout, writeTimeout: policy.writeTimeout,
            followRedirects: followRedirects
        )
    }

    public func run() async throws {
        // Nothing to do but wait; then close the pool once in-flight calls are done.
        try? await gracefulShutdown()
        try await client.shutdown()
    }

    /// For tests that use the upstream outside a service group.
    func shutdownForTests() async throws {
        try await client.shutdown()
    }

    public func get(_ url: URL, timeout: TimeInterval) async throws(UpstreamFailure) -> ByteBuffer {
        let maximumBody = maximumBody
        let follow = followRedirects()
        do {
            // The request's deadline ends when the head arrives; the whole attempt, body included, is bounded here.
            return try await withTimeout(.milliseconds(Int64(max(timeout, 0.001) * 1000))) { [client] in
                var current = url
                var hops = 0
                var response: HTTPClientResponse
                while true {
                    var request = HTTPClientRequest(url: current.absoluteString)
                    request.headers.add(name: "Accept", value: "application/json")
                    response = try await client.execute(request, timeout: .milliseconds(Int64(max(timeout, 0.001) * 1000)))
                    guard Self.redirectStatuses.contains(response.status.code) else { break }
                    _ = try? await response.body.collect(upTo: maximumBody)
                    current = try Self.redirectTarget(of: response, from: current, hops: hops, follow: follow)
                    hops += 1
                }
                guard (200..<300).contains(response.status.code) else { throw UpstreamFailure.status(Int(response.status.code)) }
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBody {
                    throw UpstreamFailure.tooLarge
                }
                do {
                    return try await response.body.collect(upTo: maximumBody)
                } catch is NIOTooManyBytesError {
                    throw UpstreamFailure.tooLarge
                }
            }
        } catch let failure as UpstreamFailure {
            throw failure
        } catch {
            throw Self.classify(error)
        }
    }

    /// Where a redirect leads, if it may be followed at all.
    static func redirectTarget(of response: HTTPClientResponse, from current: URL, hops: Int, follow: Bool) throws(UpstreamFailure) -> URL {
        let code = response.status.code
        guard follow else { throw .redirect("HTTP \(code), and external.followRedirects is off") }
        guard hops < maximumRedirects else { throw .redirect("more than \(maximumRedirects) redirects") }
        guard let location = response.headers.first(name: "Location"),
              let target = URL(string: location, relativeTo: current)?.absoluteURL,
              let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { throw .redirect("HTTP \(code) without a usable http(s) Location") }
        if current.scheme?.lowercased() == "https" && scheme == "http" {
            throw .redirect("from https to http")
        }
        return target
    }

    static func classify(_ error: any Error) -> UpstreamFailure {
        if error is TimeoutError { return .timeout }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded: return .timeout
            case .remoteConnectionClosed: return .connectionReset
            default: return .other("\(client)")
            }
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return .refused(io.description)
            case ECONNRESET, EPIPE: return .connectionReset
            case ETIMEDOUT: return .timeout
            default: return .other(io.description)
            }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return .refused(text) }
        if text.contains("timeout") || text.contains("Timeout") { return .timeout }
        if text.contains("reset") || text.contains("Reset") || text.contains("EOF") { return .connectionReset }
        return .other(text)
    }
}
