import HTTPTypes
import Hummingbird

/// What the tracker routes need, built once in the composition root.
struct TrackerServices: Sendable {
    let store: any Store
    let directory: UserDirectory
    let tokens: TokenService
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let attempts: AddressRateLimiter
    let authMetrics: AuthMetrics
    let clock: any WallClock
    let settings: SettingsHolder
    let decoy: DecoyHash
    let popular: PopularIssues
    let liveStats: LiveDailyStats
    let views: IssueViews
    /// Tells other instances sharing the database about evictions and role changes.
    var cluster: any ClusterBroadcaster = NoClusterBroadcaster()

    /// A deletion may take an issue or comment out of today's finished hours, here and on
    /// every instance: they are counted again.
    func forgetDeletedToday() async {
        await liveStats.forgetFinishedHours()
        await cluster.broadcast(.flushCaches(LiveDailyStats.finishedHoursCacheName))
    }

    /// The caller as `http.trustedProxies` says to read it (see `ClientAddressResolver`).
    func clientAddress(of request: Request, context: TriageRequestContext) -> IPAddress? {
        ClientAddressResolver(trustedProxies: settings.current.httpTrustedProxies)
            .clientAddress(peer: context.peer, forwardedFor: request.headers[values: Self.forwardedFor])
    }

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
