import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

extension PostgresErrors {
    /// What went wrong, in words an operator can act on: refused, a name that does
    /// not resolve, authentication, TLS, a missing database, a server going away.
    /// PSQLError's own description hides everything to avoid leaking data; this
    /// says the cause and nothing else (no query, no password: the server never
    /// sends it back), on one line.
    static func explain(_ error: any Error) -> String {
        oneLine(cause(of: error))
    }

    /// Why TLS refused the server's certificate, when that is what `error` (or what it wraps) is.
    static func certificateRefusal(in error: any Error) -> String? {
        switch error {
        case let psql as PSQLError:
            return psql.underlying.flatMap { certificateRefusal(in: $0) }
        case let ssl as NIOSSLError:
            if case .handshakeFailed(let reason) = ssl { return oneLine("the handshake failed: \(reason)") }
            return nil
        case let extra as NIOSSLExtraError:
            return oneLine("\(extra)")
        default:
            return nil
        }
    }

    private static func cause(of error: any Error) -> String {
        switch error {
        case let psql as PSQLError:
            return cause(of: psql)
        case let transaction as PostgresTransactionError:
            if let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError { return cause(of: inner) }
            return "the transaction failed"
        case let timeout as TimeoutError:
            return "no answer within \(timeout.after)"
        case let connection as NIOConnectionError:
            if connection.connectionErrors.isEmpty, connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return "cannot resolve the host name \(connection.host)"
            }
            if let first = connection.connectionErrors.first { return "\(cause(of: first.error)) (\(first.target))" }
            return "cannot connect to \(connection.host):\(connection.port)"
        case let io as IOError:
            return String(cString: strerror(io.errnoCode)).lowercased()
        case is ChannelError:
            return "the connection failed: \(error)"
        default:
            let text = "\(error)"
            // getaddrinfo's failures come as NIO's SocketAddressError or a resolver error naming the host.
            if text.contains("unknown host") || text.contains("Name or service not known") || text.contains("getaddrinfo") {
                return "cannot resolve the host name (\(text))"
            }
            return text
        }
    }

    private static func cause(of error: PSQLError) -> String {
        if let info = error.serverInfo {
            let message = info[.message] ?? "an error without a message"
            let state = info[.sqlState] ?? "?"
            switch state {
            case "28P01", "28000": return "authentication failed: \(message) (SQLSTATE \(state))"
            case "3D000": return "the database does not exist: \(message) (SQLSTATE \(state))"
            case "57P01", "57P02", "57P03": return "the server is shutting down or starting: \(message) (SQLSTATE \(state))"
            case "53300": return "the server has no connection left: \(message) (SQLSTATE \(state))"
            default: return "the server refused: \(message) (SQLSTATE \(state))"
            }
        }
        switch error.code {
        case .sslUnsupported: return "the server does not offer TLS"
        case .failedToAddSSLHandler: return "TLS could not be set up"
        case .serverClosedConnection: return "the server closed the connection" + (error.underlying.map { ": \(cause(of: $0))" } ?? "")
        case .clientClosedConnection: return "the connection was closed" + (error.underlying.map { ": \(cause(of: $0))" } ?? "")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return "authentication failed (\(error.code))"
        case .connectionError:
            return error.underlying.map { cause(of: $0) } ?? "the connection failed"
        default:
            return "\(error.code)" + (error.underlying.map { ": \(cause(of: $0))" } ?? "")
        }
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
