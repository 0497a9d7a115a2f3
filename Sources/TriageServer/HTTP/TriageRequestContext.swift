import Foundation
import Hummingbird

/// Request context of the public API: who is calling, once authenticated.
public struct TriageRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set on signed-in routes by `DeclaredRouter`.
    public var user: User?
    /// The socket's peer; nil for in-process test clients. Who the client is
    /// behind a proxy is `TrackerServices.clientAddress`'s business.
    public let peer: IPAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
    }

    /// DESIGN §3: bodies over 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { JSONCoding.encoder }

    /// The caller on a signed-in route (its access rule, in `PublicRoutes`, has been checked).
    public func requireUser() throws -> User {
        guard let user else { throw HTTPProblem.unauthenticated("This route needs a bearer token.") }
        return user
    }
}

/// JSON of the public API: camelCase, ISO-8601 dates with milliseconds, UTC.
public enum JSONCoding {
    /// One encoder for every response: its configuration never changes after this, and
    /// encoding is safe from several threads at once.
    static let encoder = makeEncoder()

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Milliseconds.string(from: date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var iso8601Milliseconds: Date.ISO8601FormatStyle { ISO8601Milliseconds.foundationStyle }
}
