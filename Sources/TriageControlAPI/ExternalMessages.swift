import Foundation

/// The external call in `GET /v1/status`.
public struct ExternalStatus: Codable, Sendable, Equatable {
    public var url: String
    /// `closed`, `open` or `half-open`.
    public var breaker: String
    public var consecutiveFailures: Int
    /// When an open breaker lets the next probe through.
    public var retryAt: Date?
    public var lastSuccessAt: Date?

    public init(url: String, breaker: String, consecutiveFailures: Int, retryAt: Date?, lastSuccessAt: Date?) {
        self.url = url
        self.breaker = breaker
        self.consecutiveFailures = consecutiveFailures
        self.retryAt = retryAt
        self.lastSuccessAt = lastSuccessAt
    }
}

/// `POST /v1/external/reset`.
public struct ExternalResetResponse: Codable, Sendable, Equatable {
    public var breaker: String

    public init(breaker: String) {
        self.breaker = breaker
    }
}
