import Foundation
import Logging
import TriageCron

/// The validated configuration of one daemon. Built only by `SettingsLoader`,
/// so every value here has passed its checks.
public struct Settings: Sendable, Equatable {
    public var httpHost: String
    /// 0 asks the kernel for a free port; the bound one is logged and reported.
    public var httpPort: Int
    public var httpIdleTimeout: Double
    public var httpHeadTimeout: Double
    public var httpBodyTimeout: Double
    /// 0: derived from the descriptor limit at start.
    public var httpMaxConnections: Int
    public var httpTrustedProxies: [IPNetwork]
    /// Seconds a stop waits for requests in flight (`StopDeadline`).
    public var httpDrainTimeout: Double
    public var httpDashboard: Bool
    public var authHashQueue: Int
    public var authAttempts: AddressRateLimiter.Limit
    public var controlSocket: String
    public var database: DatabaseLocation
    public var databaseTimeout: Double
    /// PostgreSQL only.
    public var databasePoolSize: Int
    public var databaseSynchronous: SQLiteSynchronous
    /// nil: generated once into the state directory.
    public var jwtSecret: String?
    public var tokenLifetime: Double
    public var signupEnabled: Bool
    public var bcryptCost: Int
    public var statsCron: CronExpression
    public var statsTimeZone: TimeZone
    public var statsCatchUpDays: Int
    public var statsHistoryDays: Int
    public var statsLiveTTL: Double
    public var popularCacheTTL: Double
    /// nil: no scheduled backups. Read in `statsTimeZone`.
    public var backupCron: CronExpression?
    public var backupDirectory: String
    public var backupKeep: Int
    public var externalURL: URL
    public var externalConnectTimeout: Double
    public var externalReadTimeout: Double
    public var externalWriteTimeout: Double
    public var externalRetries: Int
    public var externalRetryDelay: Double
    public var externalDeadline: Double
    public var externalBreakerThreshold: Int
    public var externalBreakerCoolDown: Double
    public var externalBreakerFailureRate: Double
    public var externalBreakerWindow: Double
    public var externalBreakerMinimumCalls: Int
    public var externalFollowRedirects: Bool
    public var logLevel: Logger.Level

    public var externalCall: ExternalCallPolicy { ExternalCallPolicy(settings: self) }

    /// The value of `key` in a form that compares equal exactly when the setting is
    /// the same. It includes secrets, so it is for comparison only, never for output.
    func comparisonValue(of key: SettingKey) -> String {
        switch key {
        case .httpHost: return httpHost
        case .httpPort: return String(httpPort)
        case .httpIdleTimeout: return String(httpIdleTimeout)
        case .httpHeadTimeout: return String(httpHeadTimeout)
        case .httpBodyTimeout: return String(httpBodyTimeout)
        case .httpMaxConnections: return String(httpMaxConnections)
        case .httpTrustedProxies: return httpTrustedProxies.map(\.description).joined(separator: ",")
        case .httpDrainTimeout: return String(httpDrainTimeout)
        case .httpDashboard: return String(httpDashboard)
        case .authHashQueue: return String(authHashQueue)
        case .authAttemptsPerMinute: return String(authAttempts.perMinute)
        case .authAttemptBurst: return String(authAttempts.burst)
        case .controlSocket: return controlSocket
        case .databaseURL: return database.redactedDescription
        case .databaseTimeout: return String(databaseTimeout)
        case .databasePoolSize: return String(databasePoolSize)
        case .databaseSynchronous: return databaseSynchronous.rawValue
        case .authJWTSecret: return jwtSecret ?? ""
        case .authTokenLifetime: return String(tokenLifetime)
        case .authSignup: return String(signupEnabled)
        case .authBcryptCost: return String(bcryptCost)
        case .statsCron: return statsCron.description
        case .statsTimezone: return statsTimeZone.identifier
        case .statsCatchUpDays: return String(statsCatchUpDays)
        case .statsHistoryDays: return String(statsHistoryDays)
        case .statsLiveTTL: return String(statsLiveTTL)
        case .cachePopularTTL: return String(popularCacheTTL)
        case .backupCron: return backupCron?.description ?? ""
        case .backupDirectory: return backupDirectory
        case .backupKeep: return String(backupKeep)
        case .externalURL: return externalURL.absoluteString
        case .externalConnectTimeout: return String(externalConnectTimeout)
        case .externalReadTimeout: return String(externalReadTimeout)
        case .externalWriteTimeout: return String(externalWriteTimeout)
        case .externalRetries: return String(externalRetries)
        case .externalRetryDelay: return String(externalRetryDelay)
        case .externalDeadline: return String(externalDeadline)
        case .externalBreakerThreshold: return String(externalBreakerThreshold)
        case .externalBreakerCoolDown: return String(externalBreakerCoolDown)
        case .externalBreakerFailureRate: return String(externalBreakerFailureRate)
        case .externalBreakerWindow: return String(externalBreakerWindow)
        case .externalBreakerMinimumCalls: return String(externalBreakerMinimumCalls)
        case .externalFollowRedirects: return String(externalFollowRedirects)
        case .logLevel: return logLevel.rawValue
        }
    }

    /// Keys whose value differs between `self` and `other`.
    public func changedKeys(comparedTo other: Settings) -> [SettingKey] {
        SettingKey.allCases.filter { comparisonValue(of: $0) != other.comparisonValue(of: $0) }
    }
}

/// Where the store lives.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// The file, for SQLite.
    var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// Safe to log: never contains a password.
    public var redactedDescription: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let location):
            return "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?"
                + location.connectionQueryItems.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&")
        }
    }
}

public struct PostgresLocation: Sendable, Equatable {
    /// libpq's `sslmode` values and meanings (`allow` aside).
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        /// TLS, and the server's certificate chains to `sslrootcert`.
        case verifyCA = "verify-ca"
        /// `verify-ca`, and the certificate names the host connected to.
        case verifyFull = "verify-full"

        var verifiesCertificate: Bool { self == .verifyCA || self == .verifyFull }
    }

    /// libpq's `sslrootcert`: the CA certificates (PEM) a server's certificate must chain to.
    public enum RootCertificates: Sendable, Equatable {
        case file(String)
        /// `sslrootcert=system`: the machine's trust store.
        case system
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var rootCertificates: RootCertificates? = nil

    /// What the connection checks of the server's certificate. As libpq does, `require` with
    /// an `sslrootcert` checks the chain like `verify-ca`.
    var certificateCheck: CertificateCheck {
        switch (sslMode, rootCertificates) {
        case (.disable, _), (.prefer, _), (.require, nil): return .none
        case (.require, .some(let roots)), (.verifyCA, .some(let roots)): return .chain(roots)
        case (.verifyFull, .some(let roots)): return .chainAndHost(roots)
        // The parser refuses verify-* without sslrootcert; were one to slip through, check against the system's.
        case (.verifyCA, nil): return .chain(.system)
        case (.verifyFull, nil): return .chainAndHost(.system)
        }
    }

    enum CertificateCheck: Equatable {
        case none
        case chain(RootCertificates)
        case chainAndHost(RootCertificates)
    }
}

extension PostgresLocation {
    /// `sslmode` and `sslrootcert` as libpq reads them (no secret in them): shown in logs
    /// and status, and given to the `pg_dump` command.
    var connectionQueryItems: [URLQueryItem] {
        var items = [URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
        switch rootCertificates {
        case .file(let path): items.append(URLQueryItem(name: "sslrootcert", value: path))
        case .system: items.append(URLQueryItem(name: "sslrootcert", value: "system"))
        case nil: break
        }
        return items
    }
}
