import Foundation

/// A throwaway server of its own (scripts/test-postgres) with TLS on, and the files a client needs.
public final class PostgresTLSServer: Sendable {
    public let directory: String
    /// The server's port on 127.0.0.1 (also reachable as localhost); user and password `triage`.
    public let port: Int
    /// The CA that signed the server's certificates, and one that did not.
    public let ca: String
    public let otherCA: String
    /// For localhost and 127.0.0.1 (served at first), and for db.example only.
    public let certificate: String
    public let wrongHostCertificate: String

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts").path

    public init() async throws {
        let scratch = try TemporaryDirectory()
        directory = scratch.path + "/server"
        // The server's user must reach its directory inside ours.
        chmod(scratch.path, 0o755)
        let started = try await Self.run(["\(Self.scripts)/test-postgres", "start", directory])
        guard let port = started.firstMatch(of: /127\.0\.0\.1:(\d+)\//).flatMap({ Int($0.output.1) }) else {
            throw PostgresTLSServer.Failure(detail: "test-postgres printed no URL: \(started)")
        }
        self.port = port
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

    /// A database URL for this server (the `postgres` database), e.g. `url(query: "sslmode=require")`.
    public func url(host: String = "localhost", query: String) -> String {
        "postgres://triage:triage@\(host):\(port)/postgres?\(query)"
    }

    /// Makes the server present `certificate` (with its key) to the next connections.
    public func serve(_ certificate: String) async throws {
        let key = certificate.replacingOccurrences(of: ".pem", with: ".key")
        try await superuser("ALTER SYSTEM SET ssl_cert_file = '\(certificate)'", "ALTER SYSTEM SET ssl_key_file = '\(key)'",
                            "ALTER SYSTEM SET ssl = on", "SELECT pg_reload_conf()")
        // The postmaster rereads its files on SIGHUP; new sessions then show the new value.
        for _ in 0..<100 {
            if try await superuserValue("SHOW ssl_cert_file") == certificate { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PostgresTLSServer.Failure(detail: "the server did not take \(certificate)")
    }

    public func superuser(_ statements: String...) async throws {
        for statement in statements {
            _ = try await Self.run(["psql", url(host: "127.0.0.1", query: "sslmode=disable"), "-v", "ON_ERROR_STOP=1", "-tAq", "-c", statement])
        }
    }

    public func superuserValue(_ statement: String) async throws -> String {
        try await Self.run(["psql", url(host: "127.0.0.1", query: "sslmode=disable"), "-tAq", "-c", statement]).trimmingCharacters(in: .whitespacesAndNewlines)
    }


    public func stop() async {
        _ = try? await Self.run(["\(Self.scripts)/test-postgres", "stop", directory])
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path)
    }

    /// posix_spawn and waitpid, output through files: Foundation's `Process` never saw
    /// test-postgres end while the server it starts (a grandchild) kept running.
    @discardableResult
    public static func run(_ command: [String]) async throws -> String {
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
            guard spawned == 0 else { throw PostgresTLSServer.Failure(detail: "cannot start \(command[0]): \(String(cString: strerror(spawned)))") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? ""
            guard status == 0 else {
                let errorText = (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? ""
                throw PostgresTLSServer.Failure(detail: "\(command.joined(separator: " ")) failed (wait status \(status)): \(errorText)")
            }
            return text
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let detail: String
        public var description: String { detail }
    }
}
