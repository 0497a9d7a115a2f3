import Foundation
import Logging
import NIOPosix
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The shared store for several instances: PostgreSQL through PostgresNIO's
/// connection pool. The pool (`service`) runs in the daemon's ServiceGroup;
/// migrations run before, on a connection of their own.
public final class PostgresStore: Store {
    public let kind = "postgres"
    public let location: String
    public let isLocal = false
    public let users: any UserRepository
    public let issues: any IssueRepository
    public let comments: any CommentRepository
    public let stats: any StatsRepository
    public let externalSnapshots: any ExternalSnapshotRepository
    private let database: PostgresDatabase
    /// Where the server is, for the `pg_dump` command a backup request is answered with.
    private let server: PostgresLocation
    /// For the event listener's own connection.
    private let listenerConfiguration: PostgresConnection.Configuration

    /// The pool; queries wait for it to run.
    public var service: (any Service)? { database.client }

    /// Connects (retrying for up to `patience` while the server is unreachable),
    /// migrates under the advisory lock, and returns the store with its pool not yet running.
    /// `instance` names this process's connections (`application_name`), which is how
    /// another instance learns who holds a lock.
    /// `poolSize` bounds the pool's connections (`database.poolSize`).
    public static func open(
        _ postgres: PostgresLocation, timeout: Double, instance: String, poolSize: Int = 10, patience: Duration = .seconds(30), logger: Logger
    ) async throws(StoreError) -> PostgresStore {
        let location = Self.describe(postgres)
        let tls: TLSConfiguration
        do {
            tls = try Self.tlsConfiguration(postgres)
        } catch {
            throw .cannotOpen(location: location, reason: "cannot use sslrootcert: \(error)")
        }
        let connection = try Self.connectionConfiguration(postgres, tls: tls, timeout: timeout, instance: instance, location: location)
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                let pending = try await Self.migrate(connection, location: location, logger: logger)
                if !pending.isEmpty {
                    logger.notice("database \(location) migrated: applied \(pending.joined(separator: ", "))", metadata: ["store": "\(location)", "applied": "\(pending.joined(separator: ","))"])
                }
                break
            } catch let error as StoreError {
                throw error
            } catch let error as PSQLError where error.code == .server {
                // The server answered and refused (password, database, permissions): retrying will not help.
                throw .cannotOpen(location: location, reason: PostgresErrors.explain(error))
            } catch let error as PSQLError where error.code == .sslUnsupported {
                // A server without TLS will not grow it between attempts: a configuration problem.
                throw .cannotOpen(location: location, reason: "the server does not offer TLS, but sslmode=\(postgres.sslMode.rawValue) requires it")
            } catch let error where PostgresErrors.certificateRefusal(in: error) != nil {
                // Nor will its certificate change: wrong CA, wrong host name, expired.
                let why = PostgresErrors.certificateRefusal(in: error) ?? ""
                throw .cannotOpen(location: location, reason: "the server's TLS certificate was refused (sslmode=\(postgres.sslMode.rawValue)): \(why)")
            } catch {
                guard ContinuousClock.now - started < patience else {
                    throw .unreachable(location: location, reason: PostgresErrors.explain(error))
                }
                logger.warning("PostgreSQL is not reachable yet; retrying", metadata: [
                    "store": "\(location)", "attempt": "\(attempt)", "error": "\(PostgresErrors.explain(error))",
                ])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        var configuration = PostgresClient.Configuration(
            host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password,
            database: postgres.database, tls: Self.clientTLS(postgres.sslMode, tls)
        )
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.options.maximumConnections = poolSize
        // The pool's statements only: migrations (an index over millions of rows) may take longer.
        configuration.options.additionalStartupParameters = Self.startupParameters(instance: instance, timeout: timeout)
        // The daemon's event loops (PostgresClient's default too); the statements' timeouts are timed on them.
        let eventLoops = MultiThreadedEventLoopGroup.singleton
        let client = PostgresClient(configuration: configuration, eventLoopGroup: eventLoops, backgroundLogger: logger)
        let database = PostgresDatabase(
            client: client, timeout: .milliseconds(Int64(timeout * 1000)), timer: .scheduled(on: eventLoops), logger: logger
        )
        return PostgresStore(
            location: location, database: database,
            listenerConfiguration: connection, server: postgres
        )
    }

    private init(location: String, database: PostgresDatabase, listenerConfiguration: PostgresConnection.Configuration, server: PostgresLocation) {
        self.location = location
        self.database = database
        self.server = server
        self.listenerConfiguration = listenerConfiguration
        users = PostgresUserRepository(database: database)
        issues = PostgresIssueRepository(database: database)
        comments = PostgresCommentRepository(database: database)
        stats = PostgresStatsRepository(database: database)
        externalSnapshots = PostgresExternalSnapshotRepository(database: database)
    }

    public func ping() async throws {
        try await database.query("SELECT 1 AS one") { rows in _ = try await rows.collect() }
    }

    public func schemaVersion() async throws -> String {
        try await database.query("SELECT MAX(id) AS id FROM triage_migrations") { rows in
            try await rows.first()?.value("id", as: String?.self) ?? "none"
        }
    }

    public func clusterBroadcaster(sender: String) -> any ClusterBroadcaster {
        PostgresClusterBroadcaster(client: database.client, sender: sender, timeout: database.timeout, logger: database.logger)
    }

    public func clusterListener(sender: String, handler: @escaping @Sendable (ClusterEvent) async -> Void) -> (any Service)? {
        PostgresClusterListener(configuration: listenerConfiguration, sender: sender, logger: database.logger, handler: handler)
    }

    /// PostgreSQL is copied by its own tool, which also knows roles, extensions and consistency
    /// across tables; Triage says how, with the URL less its password.
    public func backup(to path: String) async throws(BackupError) -> BackupCopy {
        throw .useExternalTool(
            reason: "the database is PostgreSQL, which Triage does not copy itself",
            command: PgDumpCommand(server).text
        )
    }

    /// A server setting as the pool's connections see it (`SHOW`): for the tests of what each connection is given.
    func setting(_ name: String) async throws(RepositoryError) -> String? {
        try await database.query(PostgresQuery(unsafeSQL: "SHOW \(name)")) { rows in
            try await rows.first().flatMap { try $0.value(name, as: String?.self) }
        }
    }

    /// The pool closes when its service stops; there is nothing else to release.
    public func close() async throws {}

    private static func migrate(_ configuration: PostgresConnection.Configuration, location: String, logger: Logger) async throws -> [String] {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            let pending = try await PostgresMigrations.migrate(connection, location: location, logger: logger)
            try await connection.close()
            return pending
        } catch {
            try? await connection.close()
            if let transaction = error as? PostgresTransactionError, let store = transaction.closureError as? StoreError { throw store }
            throw error
        }
    }

    private static func connectionConfiguration(
        _ postgres: PostgresLocation, tls: TLSConfiguration, timeout: Double, instance: String, location: String
    ) throws(StoreError) -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        do {
            switch postgres.sslMode {
            case .disable: mode = .disable
            case .prefer: mode = .prefer(try NIOSSLContext(configuration: tls))
            case .require, .verifyCA, .verifyFull: mode = .require(try NIOSSLContext(configuration: tls))
            }
        } catch {
            throw .cannotOpen(location: location, reason: "cannot set up TLS: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password,
            database: postgres.database, tls: mode
        )
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", instance)]
        return configuration
    }

    /// Sent when each of the pool's connections starts: its name (how another instance learns
    /// who holds a lock), and `database.timeout` as the server's own statement_timeout, so that
    /// the server stops a statement the daemon has given up on instead of finishing it for nobody.
    static func startupParameters(instance: String, timeout: Double) -> [(String, String)] {
        [("application_name", instance), ("statement_timeout", String(Int((timeout * 1000).rounded(.up))))]
    }

    /// The one rule for what a connection checks of the server's certificate (`sslmode`,
    /// `sslrootcert`), for the pool and for the connections of its own alike.
    static func tlsConfiguration(_ postgres: PostgresLocation) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch postgres.certificateCheck {
        case .none:
            tls.certificateVerification = .none
        case .chain(let roots):
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = try trustRoots(roots)
        case .chainAndHost(let roots):
            tls.certificateVerification = .fullVerification
            tls.trustRoots = try trustRoots(roots)
        }
        return tls
    }

    private static func trustRoots(_ roots: PostgresLocation.RootCertificates) throws -> NIOSSLTrustRoots {
        switch roots {
        case .system: return .default
        case .file(let path): return .certificates(try NIOSSLCertificate.fromPEMFile(path))
        }
    }

    private static func clientTLS(_ mode: PostgresLocation.SSLMode, _ tls: TLSConfiguration) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(tls)
        case .require, .verifyCA, .verifyFull: return .require(tls)
        }
    }

    static func describe(_ postgres: PostgresLocation) -> String {
        "postgres://\(postgres.user)@\(postgres.host):\(postgres.port)/\(postgres.database)"
    }
}
