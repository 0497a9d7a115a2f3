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
    public static func open(
        _ postgres: PostgresLocation, timeout: Double, instance: String, patience: Duration = .seconds(30), logger: Logger
    ) async throws(StoreError) -> PostgresStore {
        let location = Self.describe(postgres)
        let connection = try Self.connectionConfiguration(postgres, timeout: timeout, instance: instance, location: location)
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
            database: postgres.database, tls: Self.clientTLS(postgres.sslMode)
        )
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", instance)]
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
        _ postgres: PostgresLocation, timeout: Double, instance: String, location: String
    ) throws(StoreError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch postgres.sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
        } catch {
            throw .cannotOpen(location: location, reason: "cannot set up TLS: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password,
            database: postgres.database, tls: tls
        )
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", instance)]
        return configuration
    }

    /// As libpq's modes of the same names: `prefer` and `require` encrypt but do not verify the certificate.
    private static func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }

    private static func clientTLS(_ mode: PostgresLocation.SSLMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(tlsConfiguration())
        case .require: return .require(tlsConfiguration())
        }
    }

    static func describe(_ postgres: PostgresLocation) -> String {
        "postgres://\(postgres.user)@\(postgres.host):\(postgres.port)/\(postgres.database)"
    }
}
