/// Every configuration key Triage knows (DESIGN §2). A key that is not here is
/// an error in any source, so a typo never silently falls back to a default.
public enum SettingKey: String, CaseIterable, Sendable {
    case httpHost = "http.host"
    case httpPort = "http.port"
    /// A connection that sends nothing for this long is closed: a stalled request head, an idle keep-alive.
    case httpIdleTimeout = "http.idleTimeout"
    /// Issue #13: from the moment a connection is ready for a request (opened, or the
    /// last response sent), the whole request head must arrive within this.
    case httpHeadTimeout = "http.headTimeout"
    /// Issue #13: once the head is in, the whole body must arrive within this.
    case httpBodyTimeout = "http.bodyTimeout"
    /// Issue #13: open public connections at most (0 = the descriptor limit less a reserve).
    case httpMaxConnections = "http.maxConnections"
    /// Issue #16 (DESIGN §8's name): how long a stop waits for requests in flight before cutting them off.
    case httpDrainTimeout = "http.drainTimeout"
    /// DESIGN §8: proxies whose `X-Forwarded-For` is believed (CIDRs, comma-separated or a list).
    case httpTrustedProxies = "http.trustedProxies"
    /// Issue #17: serve the dashboard page at `/` and `/dashboard` (reloadable).
    case httpDashboard = "http.dashboard"
    case controlSocket = "control.socket"
    case databaseURL = "database.url"
    case databaseTimeout = "database.timeout"
    /// Issue #18 (DESIGN's name): PostgreSQL connections in this instance's pool at most.
    case databasePoolSize = "database.poolSize"
    /// Issue #16: SQLite's `synchronous` in WAL mode, `normal` or `full` (what a power loss can take).
    case databaseSynchronous = "database.synchronous"
    case authJWTSecret = "auth.jwtSecret"
    case authTokenLifetime = "auth.tokenLifetime"
    case authSignup = "auth.signup"
    /// Our addition to DESIGN §2: bcrypt's work factor for new password hashes.
    case authBcryptCost = "auth.bcryptCost"
    /// Issue #13: how many password hashes or checks may run or wait at once.
    case authHashQueue = "auth.hashQueue"
    /// Issue #13: sign-ups and logins per client address, refilled per minute (0 = off), and the burst.
    case authAttemptsPerMinute = "auth.attemptsPerMinute"
    case authAttemptBurst = "auth.attemptBurst"
    case statsCron = "stats.cron"
    case statsTimezone = "stats.timezone"
    case statsCatchUpDays = "stats.catchUpDays"
    case statsHistoryDays = "stats.historyDays"
    /// Issue #17: how long today's live row is served from the `stats-today` cache (0 = counted per request).
    case statsLiveTTL = "stats.liveTtl"
    /// Issue #18: scheduled copies of the SQLite database (off unless set), where, and how many are kept.
    case backupCron = "backup.cron"
    case backupDirectory = "backup.directory"
    case backupKeep = "backup.keep"
    case cachePopularTTL = "cache.popularTtl"
    case externalURL = "external.url"
    case externalConnectTimeout = "external.connectTimeout"
    case externalReadTimeout = "external.readTimeout"
    case externalWriteTimeout = "external.writeTimeout"
    case externalRetries = "external.retries"
    case externalRetryDelay = "external.retryDelay"
    case externalDeadline = "external.deadline"
    case externalBreakerThreshold = "external.breakerThreshold"
    case externalBreakerCoolDown = "external.breakerCoolDown"
    /// Our addition to DESIGN §2 (the issue asks for a failure-rate trip): the
    /// share of failed calls in the window that opens the breaker (0 = off),
    /// the window, and how many calls it needs before the rate counts.
    case externalBreakerFailureRate = "external.breakerFailureRate"
    case externalBreakerWindow = "external.breakerWindow"
    case externalBreakerMinimumCalls = "external.breakerMinimumCalls"
    /// DESIGN §8: follow the upstream's redirects (at most 3, never https→http).
    case externalFollowRedirects = "external.followRedirects"
    case logLevel = "log.level"

    /// Bound to a resource opened once at start-up (see `RestartOnlySettings`).
    public var requiresRestart: Bool { RestartOnlySettings.keys[self] != nil }

    /// `external.connectTimeout` → `TRIAGE_EXTERNAL_CONNECT_TIMEOUT`.
    public var environmentName: String {
        var name = "TRIAGE"
        for component in rawValue.split(separator: ".") {
            name += "_"
            var previousWasLowercase = false
            for character in component {
                if character.isUppercase && previousWasLowercase { name += "_" }
                name += character.uppercased()
                previousWasLowercase = character.isLowercase
            }
        }
        return name
    }
}
