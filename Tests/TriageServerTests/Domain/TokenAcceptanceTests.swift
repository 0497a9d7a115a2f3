import Foundation
import Testing
@testable import TriageServer

/// `User.accepts(tokenIssuedAt:)`: the one rule the router and the fast path ask.
struct TokenAcceptanceTests {
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func aTokenCountsUnlessTheAccountIsDisabledOrTheTokenIsOlderThanTheLastReset() {
        var user = User(id: 1, username: "bob", role: .member, createdAt: start)
        #expect(user.accepts(tokenIssuedAt: start))
        user.tokensValidAfter = start.addingTimeInterval(10)
        #expect(!user.accepts(tokenIssuedAt: start.addingTimeInterval(9.999)))
        #expect(user.accepts(tokenIssuedAt: start.addingTimeInterval(10)))
        user.disabledAt = start.addingTimeInterval(20)
        #expect(!user.accepts(tokenIssuedAt: start.addingTimeInterval(30)), "nothing counts while disabled")
    }

    @Test func theAccountStateStaysOutOfTheAPIsJSON() throws {
        let user = User(id: 1, username: "bob", role: .member, createdAt: start, disabledAt: start, tokensValidAfter: start)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(user)) as? [String: Any])
        #expect(Set(json.keys) == ["id", "username", "role", "createdAt"])
    }
}
