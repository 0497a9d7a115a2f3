import Foundation
import Testing

/// `triagectl user create` makes the first ADMIN of a fresh daemon.
@Suite(.serialized, .timeLimit(.minutes(5))) struct UserBootstrapTests {
    private func login(_ daemon: TestDaemon, _ name: String, _ password: String) async throws -> String? {
        let response = try await daemon.send(.POST, "/api/auth/login", json: #"{"username":"\#(name)","password":"\#(password)"}"#)
        guard response.status == 200 else { return nil }
        let body = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return body?["accessToken"] as? String
    }

    @Test func generatedPasswordIsPrintedOnceAndWorks() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let created = try await daemon.ctl("user", "create", "root", "--role", "admin")
        #expect(created.exitCode == 0, "\(created.standardError)")
        let password = try #require(created.standardOutput.split(separator: "\n").first { $0.hasPrefix("password") }?.split(separator: " ").last)
        #expect(created.standardError.contains("only this once"))
        let token = try #require(try await login(daemon, "root", String(password)))
        let users = try await daemon.send(.GET, "/api/users", token: token)
        #expect(users.status == 200, "an ADMIN may list users")
        #expect(!daemon.process.standardError.contains(String(password)), "the password is never logged")
    }

    @Test func passwordFromStandardInput() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let created = try await daemon.ctl("user", "create", "Viewer1", "--role", "VIEWER", "--password-stdin", "--json", input: "s3cret pass phrase\nignored second line\n")
        #expect(created.exitCode == 0, "\(created.standardError)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(created.standardOutput.utf8)) as? [String: Any])
        #expect(body["role"] as? String == "VIEWER")
        #expect(body["username"] as? String == "viewer1")
        #expect(body["generatedPassword"] == nil)
        #expect(try await login(daemon, "viewer1", "s3cret pass phrase") != nil, "the newline is not part of the password")
        #expect(try await login(daemon, "viewer1", "s3cret pass phrase\\n") == nil)
    }

    @Test func refusalsAndUsageErrors() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        #expect(try await daemon.ctl("user", "create", "root", "--role", "admin").exitCode == 0)
        let duplicate = try await daemon.ctl("user", "create", "root", "--role", "admin")
        #expect(duplicate.exitCode == 1)
        #expect(duplicate.standardError.contains("already taken"))
        #expect(try await daemon.ctl("user", "create", "x", "--role", "admin").exitCode == 1, "username too short: the daemon refuses")
        #expect(try await daemon.ctl("user", "create", "someone", "--role", "owner").exitCode == 64)
        #expect(try await daemon.ctl("user", "create", "someone", "--role", "member", "--password-stdin", input: "").exitCode == 64)
        #expect(try await daemon.ctl("user", "create", "someone", "--role", "member", "--password-stdin", input: "short\n").exitCode == 1)
    }
}
