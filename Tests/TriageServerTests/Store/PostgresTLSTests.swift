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

    /// A throwaway server of its own (scripts/test-postgres) with TLS on, and the files a client needs.
    final class TLSServer: Sendable {
        let directory: String
        let location: PostgresLocation
        let ca: String
        let otherCA: String
        let wrongHostCertificate: String
        let certificate: String

        static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts").path

        init() async throws {
            let scratch = try TemporaryDirectory()
            directory = scratch.path + "/server"
            // The server's user must reach its directory inside ours.
            chmod(scratch.path, 0o755)
            let started = try await Self.run(["\(Self.scripts)/test-postgres", "start", directory])
            guard case .postgres(var location) = try DatabaseURLParser().parse(started.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw Failure(detail: "test-postgres printed no URL: \(started)")
            }
            location.host = "localhost"
            self.location = location
            ca = directory + "/ca.pem"
            otherCA = directory + "/other-ca.pem"
            certificate = directory + "/server.pem"
            wrongHostCertificate = directory + "/db-example.pem"
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            for (name, subject) in [("ca", "Triage Test CA"), ("other-ca", "Someone Else's CA")] {
                _ = try await Self.run(["openssl", "req", "-x509"] + ec + ["-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem", "-days", "2", "-subj", "/CN=\(subject)"])
            }
            for (name, names) in [("server", "DNS:localhost,IP:127.0.0.1"), ("db-example", "DNS:db.example")] {
                _ = try await Self.run(["openssl", "req"] + ec + ["-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).csr", "-subj", "/CN=\(name)"])
                try "subjectAltName=\(names)\n".write(toFile: "\(directory)/\(name).ext", atomically: true, encoding: .utf8)
                _ = try await Self.run([
                    "openssl", "x509", "-req", "-in", "\(directory)/\(name).csr", "-CA", ca, "-CAkey", "\(directory)/ca.key", "-CAcreateserial",
                    "-out", "\(directory)/\(name).pem", "-days", "2", "-extfile", "\(directory)/\(name).ext",
                ])
            }
            // The server reads its key only if the key is its own and private.
            if getuid() == 0 {
                _ = try await Self.run(["chown", "postgres:", "\(directory)/server.key", "\(directory)/db-example.key", certificate, wrongHostCertificate])
            }
            _ = try await Self.run(["chmod", "600", "\(directory)/server.key", "\(directory)/db-example.key"])
            try await serve(certificate)
        }

        /// Makes the server present `certificate` (with its key) to the next connections.
        func serve(_ certificate: String) async throws {
            let key = certificate.replacingOccurrences(of: ".pem", with: ".key")
            try await superuser("ALTER SYSTEM SET ssl_cert_file = '\(certificate)'", "ALTER SYSTEM SET ssl_key_file = '\(key)'",
                                "ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()")
            // The postmaster rereads its files on SIGHUP; new sessions then show the new value.
            for _ in 0..<100 {
                if try await superuserValue("SHOW ssl_cert_file") == certificate { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw Failure(detail: "the server did not take \(certificate)")
        }

        func superuser(_ statements: String...) async throws {
            for statement in statements {
                _ = try await Self.run(["psql", Self.url(location), "-v", "ON_ERROR_STOP=1", "-tAq", "-c", statement])
            }
        }

        func superuserValue(_ statement: String) async throws -> String {
            try await Self.run(["psql", Self.url(location), "-tAq", "-c", statement]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        static func url(_ location: PostgresLocation) -> String {
            "postgresql://\(location.user):\(location.password ?? "")@127.0.0.1:\(location.port)/\(location.database)?sslmode=disable"
        }

        func stop() async {
            _ = try? await Self.run(["\(Self.scripts)/test-postgres", "stop", directory])
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path)
        }

        /// posix_spawn and waitpid, output through files: Foundation's `Process` never saw
        /// test-postgres end while the server it starts (a grandchild) kept running.
        @discardableResult
        static func run(_ command: [String]) async throws -> String {
            try await offThePool {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("triage-run-\(UUID().uuidString)").path
                defer {
                    unlink(scratch + ".out")
                    unlink(scratch + ".err")
                }
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, scratch + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_addopen(&actions, 2, scratch + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                let arguments: [UnsafeMutablePointer<CChar>?] = ([String](["/usr/bin/env"]) + command).map { strdup($0) } + [nil]
                defer { arguments.forEach { free($0) } }
                let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin:/usr/sbin:/sbin"), nil]
                defer { environment.forEach { free($0) } }
                var pid: pid_t = 0
                let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, arguments, environment)
                guard spawned == 0 else { throw Failure(detail: "cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                let text = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
                guard status == 0 else {
                    let errorText = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
                    throw Failure(detail: "\(command.joined(separator: " ")) failed (wait status \(status)): \(errorText)")
                }
                return text
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let detail: String
        var description: String { detail }
    }

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
    private func encrypted(_ server: TLSServer, instance: String) async throws -> Bool? {
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
        let server = try await TLSServer()
        do {
            var location = server.location
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
