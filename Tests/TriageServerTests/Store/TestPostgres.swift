import Foundation
import Logging
import PostgresNIO
@testable import TriageServer

/// The throwaway server `scripts/with-postgres` starts for the test run
/// (`make test` goes through it). Without it the PostgreSQL tests fail, by
/// design: a skipped store is not a tested store.
enum TestPostgres {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "TRIAGE_TEST_POSTGRES_URL is not set: run the tests through `make test` or `scripts/with-postgres swift test`"
        }
    }

    static func server() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["TRIAGE_TEST_POSTGRES_URL"] else { throw Missing() }
        guard case .postgres(let location) = try DatabaseURLParser().parse(url) else { throw Missing() }
        return location
    }

    /// A new, empty database on the test server, for one test alone.
    static func freshDatabase() async throws -> PostgresLocation {
        var location = try server()
        let name = "triage_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let logger = Logger(label: "test-postgres")
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable
            ),
            id: 1, logger: logger
        )
        do {
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        location.database = name
        return location
    }

    /// A plain connection to `location`, named `applicationName` in pg_stat_activity.
    static func connect(_ location: PostgresLocation, applicationName: String = "test", logger: Logger) async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable
        )
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return try await PostgresConnection.connect(configuration: configuration, id: 7, logger: logger)
    }
}
