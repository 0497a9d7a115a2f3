/// Why one attempt at the upstream failed.
public enum UpstreamFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case refused(String)
    case timeout
    case connectionReset
    /// The upstream answered with an error status.
    case status(Int)
    /// Over the 1 MiB limit.
    case tooLarge
    /// Not a JSON object.
    case badBody(String)
    /// A redirect not followed: off by `external.followRedirects`, https→http, or too many hops.
    case redirect(String)
    case other(String)

    /// Worth another attempt: the next one may well succeed.
    public var isTransient: Bool {
        switch self {
        case .refused, .timeout, .connectionReset: return true
        case .status(let code): return [429, 500, 502, 503, 504].contains(code)
        case .tooLarge, .badBody, .redirect, .other: return false
        }
    }

    /// The one phrase the fallback's `message` gives as the reason.
    public var phrase: String {
        switch self {
        case .refused: return "connection refused"
        case .timeout: return "timeout"
        case .connectionReset: return "connection reset"
        case .status(let code): return "bad response (HTTP \(code))"
        case .tooLarge: return "bad response (over 1 MiB)"
        case .badBody: return "bad response (not a JSON object)"
        case .redirect: return "bad response (a redirect not followed)"
        case .other: return "unreachable"
        }
    }

    public var description: String {
        switch self {
        case .refused(let detail): return "connection refused (\(detail))"
        case .timeout: return "timed out"
        case .connectionReset: return "connection reset"
        case .status(let code): return "HTTP \(code)"
        case .tooLarge: return "body over 1 MiB"
        case .badBody(let detail): return "body is not a JSON object: \(detail)"
        case .redirect(let detail): return "redirect not followed: \(detail)"
        case .other(let detail): return detail
        }
    }
}
