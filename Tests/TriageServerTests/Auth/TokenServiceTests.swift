import Foundation
import Testing
@testable import TriageServer
import TriageTestDoubles

@Suite(.timeLimit(.minutes(2))) struct TokenServiceTests {
    let user = User(id: 42, username: "alice", role: .member, createdAt: Date())

    private func service(secret: String = String(repeating: "s", count: 32), clock: ManualWallClock, lifetime: TimeInterval = 3600) async -> TokenService {
        await TokenService(secret: secret, clock: clock, lifetime: { lifetime })
    }

    private func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The JSON object of one base64url segment of a token (0 header, 1 claims).
    private func segment(_ index: Int, of token: String) throws -> [String: Any] {
        var text = String(token.split(separator: ".")[index]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: text))) as? [String: Any] ?? [:]
    }

    private func claims(of token: String) throws -> [String: Any] {
        try segment(1, of: token)
    }

    @Test func issuesHS256WithTheDesignedClaims() async throws {
        let clock = ManualWallClock()
        let tokens = await service(clock: clock, lifetime: 1800)
        let issued = try await tokens.issue(for: user)
        #expect(issued.expiresIn == 1800)
        #expect(try segment(0, of: issued.token)["alg"] as? String == "HS256")
        let claims = try claims(of: issued.token)
        #expect(claims["sub"] as? String == "42")
        #expect(claims["role"] as? String == "MEMBER")
        let iat = try #require(claims["iat"] as? Double)
        let exp = try #require(claims["exp"] as? Double)
        #expect(exp - iat == 1800)
        #expect(try await tokens.verify(issued.token).userID == 42)
    }

    @Test func expiredTokensAreRejected() async throws {
        let clock = ManualWallClock()
        let tokens = await service(clock: clock, lifetime: 60)
        let issued = try await tokens.issue(for: user)
        clock.advance(by: 59)
        #expect(try await tokens.verify(issued.token).userID == 42)
        clock.advance(by: 2)
        await #expect(throws: TokenService.Rejection.expired) { _ = try await tokens.verify(issued.token) }
    }

    @Test func tokensFromTheFutureAreRejected() async throws {
        let clock = ManualWallClock()
        let tokens = await service(clock: clock)
        let issued = try await tokens.issue(for: user)
        clock.advance(by: -3600)
        await #expect(throws: TokenService.Rejection.issuedInTheFuture) { _ = try await tokens.verify(issued.token) }
    }

    @Test func aDifferentSecretOrATamperedPayloadIsRejected() async throws {
        let clock = ManualWallClock()
        let issued = try await service(clock: clock).issue(for: user)
        let other = await service(secret: String(repeating: "t", count: 32), clock: clock)
        await #expect(throws: TokenService.Rejection.malformedOrForged) { _ = try await other.verify(issued.token) }

        let parts = issued.token.split(separator: ".").map(String.init)
        var claims = try claims(of: issued.token)
        claims["role"] = "ADMIN"
        claims["sub"] = "1"
        let forgedPayload = base64URL(String(decoding: try JSONSerialization.data(withJSONObject: claims), as: UTF8.self))
        let forged = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
        await #expect(throws: TokenService.Rejection.malformedOrForged) { _ = try await service(clock: clock).verify(forged) }
    }

    @Test func algNoneIsRejected() async throws {
        let clock = ManualWallClock()
        let tokens = await service(clock: clock)
        let now = Int(clock.now().timeIntervalSince1970)
        let header = base64URL(#"{"alg":"none","typ":"JWT"}"#)
        let payload = base64URL(#"{"sub":"42","role":"ADMIN","iat":\#(now),"exp":\#(now + 3600)}"#)
        for token in ["\(header).\(payload).", "\(header).\(payload)"] {
            await #expect(throws: TokenService.Rejection.malformedOrForged) { _ = try await tokens.verify(token) }
        }
    }

    @Test func garbageIsRejected() async throws {
        let tokens = await service(clock: ManualWallClock())
        for token in ["", "abc", "a.b.c", String(repeating: "x", count: 5000)] {
            await #expect(throws: TokenService.Rejection.malformedOrForged) { _ = try await tokens.verify(token) }
        }
    }
}
