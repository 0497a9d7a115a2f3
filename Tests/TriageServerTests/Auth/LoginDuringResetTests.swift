import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TriageTestSupport
@testable import TriageServer

/// bcrypt with its checks held at a gate until the test opens it.
struct GatedChecks: PasswordHasher {
    let base = BcryptPasswordHasher(cost: 4)
    let gate = Gate()

    func hash(_ password: String) async throws -> String { try await base.hash(password) }

    func verify(_ password: String, hash: String) async throws -> Bool {
        await gate.pass()
        return try await base.verify(password, hash: hash)
    }
}

/// Found in review (issue #18): a login that read the old hash and is still checking it when
/// an operator resets the password must not come out with a token the reset does not refuse.
@Suite(.timeLimit(.minutes(1))) struct LoginDuringResetTests {
    @Test func aLoginCheckingTheOldPasswordDuringAResetGetsARefusedToken() async throws {
        let hasher = GatedChecks()
        try await TrackerFixture.with(hasher: hasher) { fixture in
            let member = try await fixture.user("member", .member)
            try await fixture.test(.router) { client in
                async let login = client.call(.post, "/api/auth/login", json: #"{"username":"member","password":"password-member"}"#)
                #expect(try await eventually { hasher.gate.waiting == 1 }, "the login is checking the old password")
                fixture.clock.advance(by: 1)
                let reset = try await fixture.store.users.setPassword(id: member.user.id, passwordHash: "not-the-old-one", at: fixture.clock.now())
                fixture.services.directory.update(reset)
                hasher.gate.open()
                let answered = try await login
                #expect(answered.status == .ok, "the old password was right when it was read")
                let token = try #require(try answered.json()["accessToken"] as? String)
                let me = try await client.call(.get, "/api/users/me", token: token)
                #expect(me.status == .unauthorized, "dated when the old hash was read, before the reset: \(me.text)")
            }
        }
    }
}
