import Foundation

/// Every rule of the external call that comes from the settings, read in one
/// place: the URL, the per-phase timeouts and what they add up to per attempt,
/// retries, the overall deadline, redirects and the breaker.
public struct ExternalCallPolicy: Sendable, Equatable {
    public var url: URL
    public var connectTimeout: TimeInterval
    public var readTimeout: TimeInterval
    public var writeTimeout: TimeInterval
    public var retries: Int
    public var retryDelay: TimeInterval
    public var deadline: TimeInterval
    public var followRedirects: Bool
    public var breaker: CircuitBreaker.Policy

    public init(settings: Settings) {
        url = settings.externalURL
        connectTimeout = settings.externalConnectTimeout
        readTimeout = settings.externalReadTimeout
        writeTimeout = settings.externalWriteTimeout
        retries = settings.externalRetries
        retryDelay = settings.externalRetryDelay
        deadline = settings.externalDeadline
        followRedirects = settings.externalFollowRedirects
        breaker = CircuitBreaker.Policy(
            threshold: settings.externalBreakerThreshold, coolDown: settings.externalBreakerCoolDown,
            failureRate: settings.externalBreakerFailureRate, window: settings.externalBreakerWindow,
            minimumCalls: settings.externalBreakerMinimumCalls
        )
    }

    /// One attempt may spend each phase's whole timeout (AsyncHTTPClient applies them
    /// one after another), so the client's own cut for an attempt is their sum.
    public var attemptTimeout: TimeInterval { connectTimeout + writeTimeout + readTimeout }

    /// What `ExternalClient` reads on every call.
    public var client: ExternalClient.Policy {
        ExternalClient.Policy(url: url, attemptTimeout: attemptTimeout, retries: retries, retryDelay: retryDelay, deadline: deadline)
    }
}
