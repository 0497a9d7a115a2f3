import Foundation
import Logging
import TriageCron

/// Validates each raw value and names the key in every error.
struct SettingsParser {
    let raw: RawSettings
    let defaults: SettingsDefaults
    var credentials = Credentials()

    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maxSocketPathBytes = 107

    func parse() throws(ConfigurationError) -> Settings {
        let settings = try parseEachKey()
        // A generated secret lives in one machine's state directory: instances sharing a
        // database would each sign with their own, and a token from one fail on another.
        // Scheduled copies are of the SQLite file; PostgreSQL's are pg_dump's (`triagectl backup` prints the command).
        if case .postgres = settings.database, settings.backupCron != nil {
            throw ConfigurationError(.backupCron, "is for SQLite; with PostgreSQL, schedule pg_dump instead (`triagectl backup PATH` prints the command)")
        }
        if case .postgres = settings.database, settings.jwtSecret == nil {
            throw ConfigurationError(
                .authJWTSecret, "must be set when the database is PostgreSQL, to the same value on every instance that shares it"
            )
        }
        return settings
    }

    private func parseEachKey() throws(ConfigurationError) -> Settings {
        Settings(
            httpHost: try host(.httpHost, default: "127.0.0.1"),
            httpPort: try integer(.httpPort, default: 8080, in: 0...65535, meaning: "a port number in 1–65535 (0 picks a free one)"),
            httpIdleTimeout: try seconds(.httpIdleTimeout, default: 30, allowZero: false),
            httpHeadTimeout: try seconds(.httpHeadTimeout, default: 20, allowZero: false, atMost: 60),
            httpBodyTimeout: try seconds(.httpBodyTimeout, default: 60, allowZero: false),
            httpMaxConnections: try integer(
                .httpMaxConnections, default: 0, in: 0...1_000_000, meaning: "a number of connections (0 = from the descriptor limit)"
            ),
            httpTrustedProxies: try networks(.httpTrustedProxies),
            // Below the unit's TimeoutStopSec (60 s), so that a stop cut short still closes the store before systemd's SIGKILL.
            httpDrainTimeout: try seconds(.httpDrainTimeout, default: 10, allowZero: false, atMost: 50),
            httpDashboard: try boolean(.httpDashboard, default: true),
            authHashQueue: try integer(.authHashQueue, default: 16, in: 1...10_000, meaning: "a number of password checks in 1–10000"),
            authAttempts: AddressRateLimiter.Limit(
                perMinute: try rate(.authAttemptsPerMinute, default: 30),
                burst: try integer(.authAttemptBurst, default: 10, in: 1...100_000, meaning: "a number of attempts in 1–100000")
            ),
            controlSocket: try socketPath(.controlSocket, default: defaults.controlSocket),
            database: try database(.databaseURL, default: defaults.databaseURL),
            databaseTimeout: try seconds(.databaseTimeout, default: 5, allowZero: false),
            databasePoolSize: try integer(.databasePoolSize, default: 10, in: 1...1000, meaning: "a number of connections in 1–1000"),
            databaseSynchronous: try synchronous(.databaseSynchronous, default: .normal),
            jwtSecret: try secret(.authJWTSecret),
            tokenLifetime: try seconds(.authTokenLifetime, default: 3600, allowZero: false),
            signupEnabled: try boolean(.authSignup, default: true),
            bcryptCost: try integer(.authBcryptCost, default: 12, in: 4...16, meaning: "a bcrypt cost in 4–16"),
            statsCron: try cron(.statsCron, default: "0 0 3 * * *"),
            statsTimeZone: try timeZone(.statsTimezone),
            statsCatchUpDays: try integer(.statsCatchUpDays, default: 7, in: 0...366, meaning: "a number of days in 0–366"),
            statsHistoryDays: try integer(.statsHistoryDays, default: 90, in: 1...36_500, meaning: "a number of days in 1–36500"),
            statsLiveTTL: try seconds(.statsLiveTTL, default: 10, allowZero: true, atMost: 86_400),
            popularCacheTTL: try seconds(.cachePopularTTL, default: 300, allowZero: true),
            backupCron: try optionalCron(.backupCron),
            backupDirectory: try nonEmpty(.backupDirectory, default: defaults.backupDirectory),
            backupKeep: try integer(.backupKeep, default: 7, in: 1...10_000, meaning: "a number of copies in 1–10000"),
            externalURL: try httpURL(.externalURL, default: "https://jsonplaceholder.typicode.com/posts/1"),
            externalConnectTimeout: try seconds(.externalConnectTimeout, default: 5, allowZero: false),
            externalReadTimeout: try seconds(.externalReadTimeout, default: 5, allowZero: false),
            externalWriteTimeout: try seconds(.externalWriteTimeout, default: 5, allowZero: false),
            externalRetries: try integer(.externalRetries, default: 3, in: 0...10, meaning: "a retry count in 0–10"),
            externalRetryDelay: try seconds(.externalRetryDelay, default: 1, allowZero: true),
            externalDeadline: try seconds(.externalDeadline, default: 10, allowZero: false),
            externalBreakerThreshold: try integer(.externalBreakerThreshold, default: 5, in: 1...1000, meaning: "a count of failed calls in 1–1000"),
            externalBreakerCoolDown: try seconds(.externalBreakerCoolDown, default: 30, allowZero: false),
            externalBreakerFailureRate: try fraction(.externalBreakerFailureRate, default: 0.5),
            externalBreakerWindow: try seconds(.externalBreakerWindow, default: 60, allowZero: false),
            externalBreakerMinimumCalls: try integer(
                .externalBreakerMinimumCalls, default: 10, in: 1...100_000, meaning: "a number of calls in 1–100000"
            ),
            externalFollowRedirects: try boolean(.externalFollowRedirects, default: false),
            logLevel: try logLevel(.logLevel, default: .info)
        )
    }

    private func value(_ key: SettingKey) -> String? {
        raw[key]
    }

    private func host(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> String {
        let host = value(key) ?? fallback
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-:_"))
        guard !host.isEmpty, host.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ConfigurationError(key, "\(quoted(host)) is not a host name or IP address")
        }
        return host
    }

    private func integer(_ key: SettingKey, default fallback: Int, in range: ClosedRange<Int>, meaning: String) throws(ConfigurationError) -> Int {
        guard let text = value(key) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(key, "\(quoted(text)) is not \(meaning)")
        }
        return number
    }

    private func seconds(
        _ key: SettingKey, default fallback: Double, allowZero: Bool, atMost maximum: Double = .infinity
    ) throws(ConfigurationError) -> Double {
        guard let text = value(key) else { return fallback }
        guard let number = Double(text), number.isFinite, allowZero ? number >= 0 : number > 0, number <= maximum else {
            var bound = allowZero ? "zero or more" : "more than zero"
            if maximum.isFinite { bound += ", at most \(Int(maximum))" }
            throw ConfigurationError(key, "\(quoted(text)) is not a duration in seconds (\(bound), decimals allowed)")
        }
        return number
    }

    private func rate(_ key: SettingKey, default fallback: Double) throws(ConfigurationError) -> Double {
        guard let text = value(key) else { return fallback }
        guard let number = Double(text), number.isFinite, number >= 0 else {
            throw ConfigurationError(key, "\(quoted(text)) is not a number per minute (zero or more; 0 turns the limit off)")
        }
        return number
    }

    /// A comma-separated list of CIDR blocks (the file may also give a YAML list).
    private func networks(_ key: SettingKey) throws(ConfigurationError) -> [IPNetwork] {
        guard let text = value(key) else { return [] }
        var networks: [IPNetwork] = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let network = IPNetwork(trimmed) else {
                throw ConfigurationError(key, "\(quoted(trimmed)) is not an IP address or CIDR block (such as 10.0.0.0/8 or fd00::/8)")
            }
            networks.append(network)
        }
        return networks
    }

    private func fraction(_ key: SettingKey, default fallback: Double) throws(ConfigurationError) -> Double {
        guard let text = value(key) else { return fallback }
        guard let number = Double(text), (0...1).contains(number) else {
            throw ConfigurationError(key, "\(quoted(text)) is not a fraction in 0–1 (0 turns it off)")
        }
        return number
    }

    private func boolean(_ key: SettingKey, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let text = value(key) else { return fallback }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(key, "\(quoted(text)) is not true or false")
        }
    }

    private func cron(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> CronExpression {
        let text = value(key) ?? fallback
        do {
            return try CronExpression(text)
        } catch {
            throw ConfigurationError(key, "\(error)")
        }
    }

    /// A schedule that may be off: unset, empty or `off`.
    private func optionalCron(_ key: SettingKey) throws(ConfigurationError) -> CronExpression? {
        guard let text = value(key), !text.isEmpty, text.lowercased() != "off" else { return nil }
        return try cron(key, default: text)
    }

    private func nonEmpty(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> String {
        let text = value(key) ?? fallback
        guard !text.isEmpty else { throw ConfigurationError(key, "must not be empty") }
        return text
    }

    /// The JWT secret from a flag, the environment or the file, or else the
    /// `jwt-secret` credential. Both at once is refused: which one signs would
    /// depend on a precedence nobody remembers when tokens stop working.
    private func secret(_ key: SettingKey) throws(ConfigurationError) -> String? {
        let configured = value(key)
        if configured != nil, credentials[.jwtSecret] != nil {
            throw ConfigurationError(key, "is set both as a setting and as the \(Credentials.Name.jwtSecret.rawValue) credential; keep one")
        }
        guard let text = configured ?? credentials[.jwtSecret] else { return nil }
        // HS256 wants at least 256 bits of key; a short secret is guessable offline.
        guard text.utf8.count >= 32 else {
            throw ConfigurationError(key, "must be at least 32 bytes long (got \(text.utf8.count))")
        }
        return text
    }

    private func timeZone(_ key: SettingKey) throws(ConfigurationError) -> TimeZone {
        guard let name = value(key) else { return TimeZone.current }
        guard let zone = TimeZone(identifier: name) else {
            throw ConfigurationError(key, "\(quoted(name)) is not an IANA time zone name (such as Europe/Berlin)")
        }
        return zone
    }

    private func synchronous(_ key: SettingKey, default fallback: SQLiteSynchronous) throws(ConfigurationError) -> SQLiteSynchronous {
        guard let text = value(key) else { return fallback }
        guard let mode = SQLiteSynchronous(rawValue: text.lowercased()) else {
            throw ConfigurationError(key, "\(quoted(text)) is not normal or full")
        }
        return mode
    }

    private func logLevel(_ key: SettingKey, default fallback: Logger.Level) throws(ConfigurationError) -> Logger.Level {
        guard let text = value(key) else { return fallback }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(key, "\(quoted(text)) is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    private func httpURL(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> URL {
        let text = value(key) ?? fallback
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError(key, "\(quoted(text)) is not an http:// or https:// URL")
        }
        return url
    }

    private func socketPath(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> String {
        let path = value(key) ?? fallback
        guard !path.isEmpty else { throw ConfigurationError(key, "must not be empty") }
        guard path.utf8.count <= Self.maxSocketPathBytes else {
            throw ConfigurationError(key, "path is \(path.utf8.count) bytes long; a Unix socket path may have at most \(Self.maxSocketPathBytes)")
        }
        return path
    }

    /// The database URL; a PostgreSQL password may come instead from the
    /// `database-password` credential (the URL then names no password).
    private func database(_ key: SettingKey, default fallback: String) throws(ConfigurationError) -> DatabaseLocation {
        let location = try DatabaseURLParser().parse(value(key) ?? fallback)
        guard let password = credentials[.databasePassword] else { return location }
        guard case .postgres(var postgres) = location else {
            throw ConfigurationError(key, "the \(Credentials.Name.databasePassword.rawValue) credential is set, but the database is not PostgreSQL")
        }
        guard postgres.password == nil else {
            throw ConfigurationError(key, "has a password and the \(Credentials.Name.databasePassword.rawValue) credential is set too; keep one")
        }
        postgres.password = password
        return .postgres(postgres)
    }

    private func quoted(_ text: String) -> String {
        "\"\(text)\""
    }
}
