import Foundation
import Testing
import TriageControlAPI
import TriageTestSupport

/// `triagectl user list|set-role|reset-password|disable|enable` (issue #18)
/// through the real binaries: what each does to logins and to tokens already
/// handed out, and the rules it keeps.
@Suite(.timeLimit(.minutes(2))) struct UserAdministrationTests {
    static func login(_ daemon: TestDaemon, _ user: String, _ password: String) async throws -> (status: Int, token: String?) {
        let response = try await daemon.send(.POST, "/api/auth/login", json: #"{"username":"\#(user)","password":"\#(password)"}"#)
        let body = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return (response.status, body?["accessToken"] as? String)
    }

    @Test func listAndSetRoleKeepTheLastAdminRule() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        _ = try await daemon.token(user: "boss", role: "admin", password: "boss-password")
        let member = try await daemon.token(user: "writer", role: "member", password: "writer-password")

        let list = try await daemon.ctl("user", "list")
        #expect(list.exitCode == 0, "\(list.standardError)")
        let lines = list.standardOutput.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["ID", "USERNAME", "ROLE", "CREATED", "STATE"], "\(list.standardOutput)")
        #expect(lines.dropFirst().map { [$0[1], $0[2], $0[4]] } == [["boss", "ADMIN", "enabled"], ["writer", "MEMBER", "enabled"]], "\(list.standardOutput)")
        let json = try TestDaemon.json(try await daemon.ctl("user", "list", "--json").standardOutput, as: [[String: Any]].self)
        #expect(json.map { $0["username"] as? String } == ["boss", "writer"] && json.allSatisfy { $0["disabled"] as? Bool == false }, "\(json)")

        let demoted = try await daemon.ctl("user", "set-role", "writer", "viewer")
        #expect(demoted.exitCode == 0 && demoted.standardOutput.contains("role      VIEWER"), "\(demoted.standardOutput) \(demoted.standardError)")
        let create = try await daemon.send(.POST, "/api/issues", json: #"{"title":"x","description":""}"#, token: member)
        #expect(create.status == 403, "the same token, the new role at once: \(create.body)")

        let last = try await daemon.ctl("user", "set-role", "boss", "MEMBER")
        #expect(last.exitCode == 1 && last.standardError.contains("last ADMIN"), "\(last.standardError)")
        let unknown = try await daemon.ctl("user", "set-role", "nobody", "MEMBER")
        #expect(unknown.exitCode == 1 && unknown.standardError.contains("no user is named nobody"), "\(unknown.standardError)")
        let badName = try await daemon.ctl("user", "set-role", "Not A Name!", "MEMBER")
        #expect(badName.exitCode == 1 && badName.standardError.contains("username"), "\(badName.standardError)")
        let badRole = try await daemon.ctl("user", "set-role", "writer", "OWNER")
        #expect(badRole.exitCode == 64, "\(badRole.standardError)")
    }

    @Test func aResetPasswordWorksAtOnceAndRefusesTheTokensIssuedBeforeIt() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let old = try await daemon.token(user: "writer", role: "member", password: "writer-password")
        #expect(try await daemon.send(.GET, "/api/users/me", token: old).status == 200)

        let reset = try await daemon.ctl("user", "reset-password", "writer")
        #expect(reset.exitCode == 0, "\(reset.standardError)")
        let generated = try #require(reset.standardOutput.firstMatch(of: /password\s+([A-Za-z0-9]{24})/).map { String($0.output.1) }, "\(reset.standardOutput)")
        #expect(reset.standardError.contains("shown only this once"))
        #expect(!daemon.process.standardError.contains(generated), "the password never reaches the log")

        let refused = try await daemon.send(.GET, "/api/users/me", token: old)
        #expect(refused.status == 401 && refused.body.contains("before the password was reset"), "\(refused.body)")
        #expect(try await Self.login(daemon, "writer", "writer-password").status == 401)
        let fresh = try await Self.login(daemon, "writer", generated)
        #expect(fresh.status == 200)
        #expect(try await daemon.send(.GET, "/api/users/me", token: try #require(fresh.token)).status == 200, "a token issued right after the reset works")

        let chosen = try await daemon.ctl("user", "reset-password", "writer", "--password-stdin", input: "chosen-password\n")
        #expect(chosen.exitCode == 0 && !chosen.standardOutput.contains("password "), "\(chosen.standardOutput)")
        #expect(try await Self.login(daemon, "writer", "chosen-password").status == 200)
        let short = try await daemon.ctl("user", "reset-password", "writer", "--password-stdin", input: "short\n")
        #expect(short.exitCode == 1 && short.standardError.contains("password"), "\(short.standardError)")
        let empty = try await daemon.ctl("user", "reset-password", "writer", "--password-stdin", input: "")
        #expect(empty.exitCode == 64, "\(empty.standardError)")
    }

    @Test func aDisabledUserCannotLogInAndTheirTokensStopAtOnceEvenOnTheFastPath() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        _ = try await daemon.token(user: "boss", role: "admin", password: "boss-password")
        let token = try await daemon.token(user: "writer", role: "member", password: "writer-password")
        // Warm the pipeline's answer of the popular list for this token.
        for _ in 0..<3 { #expect(try await daemon.send(.GET, "/api/issues/popular", token: token).status == 200) }

        let disabled = try await daemon.ctl("user", "disable", "writer")
        #expect(disabled.exitCode == 0 && disabled.standardOutput.contains("disabled since"), "\(disabled.standardOutput) \(disabled.standardError)")
        let popular = try await daemon.send(.GET, "/api/issues/popular", token: token)
        #expect(popular.status == 401 && popular.body.contains("disabled"), "\(popular.body)")
        #expect(try await daemon.send(.GET, "/api/users/me", token: token).status == 401)
        let login = try await daemon.send(.POST, "/api/auth/login", json: #"{"username":"writer","password":"writer-password"}"#)
        #expect(login.status == 403 && login.body.contains("disabled"), "\(login.body)")
        #expect(try await Self.login(daemon, "writer", "wrong-password").status == 401, "a wrong password learns nothing")
        let again = try await daemon.ctl("user", "disable", "writer")
        #expect(again.exitCode == 0, "disabling twice is no error")
        let listed = try TestDaemon.json(try await daemon.ctl("user", "list", "--json").standardOutput, as: [[String: Any]].self)
        #expect(listed.first { $0["username"] as? String == "writer" }?["disabled"] as? Bool == true)

        let enabled = try await daemon.ctl("user", "enable", "writer")
        #expect(enabled.exitCode == 0 && enabled.standardOutput.contains("enabled"), "\(enabled.standardOutput)")
        #expect(try await daemon.send(.GET, "/api/users/me", token: token).status == 401, "tokens from before the disabling stay refused")
        let back = try await Self.login(daemon, "writer", "writer-password")
        #expect(back.status == 200)
        #expect(try await daemon.send(.GET, "/api/issues/popular", token: try #require(back.token)).status == 200)

        let lastAdmin = try await daemon.ctl("user", "disable", "boss")
        #expect(lastAdmin.exitCode == 1 && lastAdmin.standardError.contains("last enabled ADMIN"), "\(lastAdmin.standardError)")
        #expect(try await daemon.ctl("user", "enable", "ghost").exitCode == 1)
        #expect(daemon.process.standardError.contains("user writer disabled; its tokens are refused (over the control socket)"))
    }
}
