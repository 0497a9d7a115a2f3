import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTestSupport
@testable import TriageServer

/// Issue #18: libpq's sslmode and sslrootcert against a real PostgreSQL with
/// `ssl = on`, its certificate from a CA this test makes (openssl); and each
/// pooled connection's statement_timeout and the pool's size.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PostgresTLSTests {
    let logger = Logger(label: "test")

    private func withStore(
        _ location: PostgresLocation, instance: String, timeout: Double = 10, poolSize: Int = 10, _ body: (PostgresStore) async throws -> Void
    ) async throws {
        let store = try await PostgresStore.open(location, timeout: timeout, instance: instance, poolSize: poolSize, patience: .zero, logger: logger)
        let pool = Task { try await store.service?.run() }
        try await scoped(pool, cleanUp: { pool in
            pool.cancel()
            _ = await pool.result
        }) { _ in try await body(store) }
    }

    /// Whether every session of `instance` the server sees is encrypted (nil: it sees none).
    private func encrypted(_ server: PostgresTLSServer, instance: String) async throws -> Bool? {
        let value = try await server.superuserValue(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = '\(instance)'"
        )
        return value.isEmpty ? nil : value == "t"
    }

    private func refusal(_ location: PostgresLocation) async -> String? {
        do {
            _ = try await PostgresStore.open(location, timeout: 5, instance: "test:refused", patience: .seconds(30), logger: logger)
            return nil
        } catch {
            guard case .cannotOpen(_, let reason) = error, error.isConfigurationProblem else { return "not a configuration problem: \(error)" }
            return reason
        }
    }

    @Test func eachSSLModeConnectsOrRefusesAsLibpqWould() async throws {
        let server = try await PostgresTLSServer()
        do {
            guard case .postgres(var location) = try DatabaseURLParser().parse(server.url(query: "sslmode=disable")) else { return }
            for (mode, instance) in [(PostgresLocation.SSLMode.require, "test:require"), (.prefer, "test:prefer")] {
                location.sslMode = mode
                location.rootCertificates = nil
                try await withStore(location, instance: instance) { store in
                    try await store.ping()
                    #expect(try await encrypted(server, instance: instance) == true, "\(mode) encrypts against a TLS server")
                }
            }
            location.sslMode = .disable
            try await withStore(location, instance: "test:disable") { store in
                try await store.ping()
                #expect(try await encrypted(server, instance: "test:disable") == false)
            }

            location.rootCertificates = .file(server.ca)
            for (mode, host) in [(PostgresLocation.SSLMode.verifyFull, "localhost"), (.verifyFull, "127.0.0.1"), (.verifyCA, "localhost")] {
                location.sslMode = mode
                location.host = host
                try await withStore(location, instance: "test:verified") { store in try await store.ping() }
                #expect(try await encrypted(server, instance: "test:verified") == nil, "closed again")
            }

            location.host = "localhost"
            location.sslMode = .verifyFull
            location.rootCertificates = .file(server.otherCA)
            let wrongCA = try #require(await refusal(location), "a certificate from another CA is refused")
            #expect(wrongCA.contains("TLS certificate was refused (sslmode=verify-full)"), "\(wrongCA)")
            location.sslMode = .verifyCA
            #expect(await refusal(location) != nil, "verify-ca checks the CA too")
            location.sslMode = .require
            #expect(await refusal(location) != nil, "require with an sslrootcert checks the CA, as libpq's does")

            try await server.serve(server.wrongHostCertificate)
            location.rootCertificates = .file(server.ca)
            location.sslMode = .verifyFull
            let wrongHost = try #require(await refusal(location), "a certificate for db.example, not localhost, is refused")
            #expect(wrongHost.contains("localhost") || wrongHost.contains("hostname"), "\(wrongHost)")
            location.sslMode = .verifyCA
            try await withStore(location, instance: "test:verify-ca") { store in try await store.ping() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func eachPooledConnectionHasTheTimeoutAsStatementTimeoutAndThePoolItsSize() async throws {
        var location = try await TestPostgres.freshDatabase()
        location.sslMode = .disable
        try await withStore(location, instance: "test:pool", timeout: 2.5, poolSize: 2) { store in
            #expect(try await store.setting("statement_timeout") == "2500ms")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await store.setting("statement_timeout") } }
                try await group.waitForAll()
            }
            let admin = try await TestPostgres.connect(location, applicationName: "test:observer", logger: logger)
            let rows = try await admin.query("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'test:pool'", logger: logger)
            var count = 0
            for try await (value) in rows.decode(Int.self) { count = value }
            try await admin.close()
            #expect((1...2).contains(count), "at most database.poolSize connections: \(count)")
        }
    }
}
