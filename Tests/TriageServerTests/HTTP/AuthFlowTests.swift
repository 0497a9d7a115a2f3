import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct AuthFlowTests {
    @Test func signupThenLoginThenUseTheToken() async throws {
        try await TrackerFixture.with { fixture in
            try await fixture.test(.router) { client in
                let signup = try await client.call(.post, "/api/auth/signup", json: #"{"username":"Alice","password":"correct horse"}"#)
                #expect(signup.status == .created)
                let user = try signup.decode(User.self)
                #expect(user.username == "alice" && user.role == .member)
                #expect(!signup.text.contains("password"))

                let duplicate = try await client.call(.post, "/api/auth/signup", json: #"{"username":"alice","password":"another one"}"#)
                #expect(duplicate.status == .conflict)

                let login = try await client.call(.post, "/api/auth/login", json: #"{"username":"ALICE","password":"correct horse"}"#)
                #expect(login.status == .ok)
                let body = try login.json()
                #expect(body["tokenType"] as? String == "Bearer")
                #expect(body["expiresIn"] as? Int == 3600)
                let token = try #require(body["accessToken"] as? String)

                let me = try await client.call(.get, "/api/users/me", token: token)
                #expect(try me.decode(User.self) == user)
            }
        }
    }

    @Test(arguments: [
        #"{"username":"ab","password":"long enough"}"#,
        #"{"username":"bad name","password":"long enough"}"#,
        #"{"username":"fine","password":"short"}"#,
        #"{"username":"fine","password":"\#(String(repeating: "p", count: 73))"}"#,
        #"{"username":"fine"}"#,
    ])
    func signupRejectsBadCredentials(body: String) async throws {
        try await TrackerFixture.with { fixture in
            try await fixture.test(.router) { client in
                let response = try await client.call(.post, "/api/auth/signup", json: body)
                #expect(response.status == .badRequest, "\(body): \(response.text)")
            }
            #expect(try await fixture.store.users.list(PageRequest()).total.count == 0)
        }
    }

    /// Over a real socket, so the peer is 127.0.0.1: a trusted proxy there, forwarding two clients.
    @Test func eachClientAddressHasItsOwnBudgetForSignupsAndLogins() async throws {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.httpTrustedProxies = [IPNetwork("127.0.0.0/8")!]
        settings.authAttempts = .init(perMinute: 1, burst: 2)
        var unlimited = settings
        unlimited.authAttempts.perMinute = 0
        try await TrackerFixture.with(settings: settings) { [unlimited] fixture in
            try await fixture.test(.live) { client in
                func attempt(_ path: String, from address: String, _ body: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: path, method: .post,
                        headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: "198.51.100.1, \(address)"],
                        body: ByteBuffer(string: body)
                    )
                }
                let signup = try await attempt("/api/auth/signup", from: "203.0.113.1", #"{"username":"alice","password":"long enough"}"#)
                #expect(signup.status == .created)
                let wrong = try await attempt("/api/auth/login", from: "203.0.113.1", #"{"username":"alice","password":"not it at all"}"#)
                #expect(wrong.status == .unauthorized)
                let refused = try await attempt("/api/auth/login", from: "203.0.113.1", #"{"username":"alice","password":"long enough"}"#)
                #expect(refused.status == .tooManyRequests, "the right password too: the address spent its burst")
                #expect(refused.headers[.retryAfter] == "60")
                #expect(refused.headers[.contentType] == "application/problem+json")
                let users = try await fixture.store.users.list(PageRequest()).total.count
                let other = try await attempt("/api/auth/login", from: "203.0.113.2", #"{"username":"alice","password":"long enough"}"#)
                #expect(other.status == .ok, "another client behind the same proxy is not held up")
                let refusedSignup = try await attempt("/api/auth/signup", from: "203.0.113.1", #"{"username":"bob","password":"long enough"}"#)
                #expect(refusedSignup.status == .tooManyRequests)
                #expect(try await fixture.store.users.list(PageRequest()).total.count == users, "a refused sign-up creates nothing")

                fixture.settings.replace(with: unlimited)
                let reloaded = try await attempt("/api/auth/login", from: "203.0.113.1", #"{"username":"alice","password":"long enough"}"#)
                #expect(reloaded.status == .ok, "a reload that turns the limit off applies to the next attempt")
            }
        }
    }

    @Test func signupCanBeDisabled() async throws {
        var settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        settings.signupEnabled = false
        try await TrackerFixture.with(settings: settings) { fixture in
            try await fixture.test(.router) { client in
                let response = try await client.call(.post, "/api/auth/signup", json: #"{"username":"alice","password":"long enough"}"#)
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func wrongPasswordsAreRefusedAndThenThrottled() async throws {
        try await TrackerFixture.with { fixture in
            _ = try await fixture.user("bob", .member)
            try await fixture.test(.router) { client in
                let unknown = try await client.call(.post, "/api/auth/login", json: #"{"username":"nobody","password":"whatever1"}"#)
                #expect(unknown.status == .unauthorized)
                for _ in 0..<5 {
                    let wrong = try await client.call(.post, "/api/auth/login", json: #"{"username":"bob","password":"wrong-password"}"#)
                    #expect(wrong.status == .unauthorized)
                    #expect(wrong.headers[.wwwAuthenticate] == "Bearer")
                }
                // Locked now, even with the right password.
                let locked = try await client.call(.post, "/api/auth/login", json: #"{"username":"bob","password":"password-bob"}"#)
                #expect(locked.status == .tooManyRequests)
                #expect(locked.headers[.retryAfter] == "1")
                fixture.clock.advance(by: 1.5)
                let allowed = try await client.call(.post, "/api/auth/login", json: #"{"username":"bob","password":"password-bob"}"#)
                #expect(allowed.status == .ok)
            }
        }
    }

    @Test func parallelWrongPasswordsReachBcryptAtMostTheAllowedFailures() async throws {
        let hasher = CountingHasher(base: BcryptPasswordHasher(cost: 4))
        try await TrackerFixture.with(hasher: hasher) { fixture in
            _ = try await fixture.user("bob", .member)
            let checksBefore = hasher.verifications
            let statuses = try await fixture.test(.router) { client in
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<40 {
                        group.addTask {
                            try await client.call(.post, "/api/auth/login", json: #"{"username":"bob","password":"wrong-password"}"#).status
                        }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
            }
            let checks = hasher.verifications - checksBefore
            #expect(checks <= fixture.services.throttle.freeAttempts, "\(checks) of 40 guesses reached bcrypt")
            #expect(statuses.filter { $0 == .unauthorized }.count == checks, "each check is one 401")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 40 - checks, "every other guess is a 429")
        }
    }

    @Test func aLoginNameThatCannotExistCostsNothing() async throws {
        let hasher = CountingHasher(base: BcryptPasswordHasher(cost: 4))
        try await TrackerFixture.with(hasher: hasher) { fixture in
            try await fixture.test(.router) { client in
                let huge = String(repeating: "a", count: 900 * 1024)
                let response = try await client.call(.post, "/api/auth/login", json: #"{"username":"\#(huge)","password":"whatever1"}"#)
                #expect(response.status == .badRequest)
                #expect(response.text.contains("username"))
                #expect(response.text.utf8.count < 1024, "the name is not echoed")
            }
            #expect(hasher.verifications == 0, "no hash for a name that cannot exist")
        }
    }

    @Test func badTokensAre401WithAnInvalidTokenChallenge() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            try await fixture.test(.router) { client in
                for token in ["garbage", member.token + "x", String(member.token.dropLast(2))] {
                    let response = try await client.call(.get, "/api/users/me", token: token)
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
                }
                fixture.clock.advance(by: 3601)
                let expired = try await client.call(.get, "/api/users/me", token: member.token)
                #expect(expired.status == .unauthorized)
                #expect(expired.text.contains("expired"))
            }
        }
    }

    @Test func aDemotedUsersOldTokenLosesWhatTheRoleAllowed() async throws {
        try await TrackerFixture.with { fixture in
            let root = try await fixture.user("root", .admin)
            let deputy = try await fixture.user("deputy", .admin)
            try await fixture.test(.router) { client in
                #expect(try await client.call(.get, "/api/users", token: deputy.token).status == .ok)
                let demote = try await client.call(.patch, "/api/users/\(deputy.user.id)", token: root.token, json: #"{"role":"viewer"}"#)
                #expect(demote.status == .ok)
                #expect(try await client.call(.get, "/api/users", token: deputy.token).status == .forbidden)
                #expect(try await client.call(.post, "/api/issues", token: deputy.token, json: #"{"title":"t","description":""}"#).status == .forbidden)
                #expect(try await client.call(.get, "/api/issues", token: deputy.token).status == .ok)
            }
        }
    }

    @Test func twoHundredConcurrentViewsAddExactlyTwoHundred() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            let issue = try await fixture.store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: member.user.id, assigneeId: nil), at: fixture.clock.now()
            )
            try await fixture.test(.router) { client in
                let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
                    for _ in 0..<200 {
                        group.addTask {
                            let response = try await client.call(.get, "/api/issues/\(issue.id)", token: member.token)
                            #expect(response.status == .ok)
                            return try response.json()["viewCount"] as? Int
                        }
                    }
                    return try await group.reduce(into: [Int?]()) { $0.append($1) }
                }
                #expect(Set(counts) == Set(1...200), "each reader sees its own view counted, exactly once")
            }
            #expect(try await fixture.store.issues.find(id: issue.id)?.viewCount == 0, "views are written in batches, not per read")
            await fixture.services.views.flush()
            #expect(try await fixture.store.issues.find(id: issue.id)?.viewCount == 200)
        }
    }
}

/// Counts the password checks that reach the real hasher.
final class CountingHasher: PasswordHasher {
    private let base: any PasswordHasher
    private let count = Mutex(0)

    init(base: any PasswordHasher) {
        self.base = base
    }

    var verifications: Int { count.withLock { $0 } }

    func hash(_ password: String) async throws -> String { try await base.hash(password) }

    func verify(_ password: String, hash: String) async throws -> Bool {
        count.withLock { $0 += 1 }
        return try await base.verify(password, hash: hash)
    }
}
