import Foundation
import GRDB
import Testing
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct UserDirectoryTests {
    @Test func aUserRemovedBehindOurBackLosesAccessWithinTheMaximumAge() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            try await fixture.app().test(.router) { client in
                #expect(try await client.call(.get, "/api/users/me", token: member.token).status == .ok)
                // As an operator's SQL or another instance would: not through this process.
                let queue = try DatabaseQueue(path: fixture.directory.file("triage.sqlite"))
                try await queue.write { db in try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [member.user.id]) }
                try queue.close()
                #expect(try await client.call(.get, "/api/users/me", token: member.token).status == .ok, "still cached")
                fixture.clock.advance(by: 31)
                let response = try await client.call(.get, "/api/users/me", token: member.token)
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("no longer exists"))
            }
        }
    }

    @Test func changesThroughThisProcessApplyAtOnce() async throws {
        try await TrackerFixture.with { fixture in
            let (user, _) = try await fixture.user("member", .member)
            #expect(try await fixture.services.directory.user(id: user.id)?.role == .member)
            let promoted = try await fixture.store.users.changeRole(id: user.id, to: .admin)
            fixture.services.directory.update(promoted)
            #expect(try await fixture.services.directory.user(id: user.id)?.role == .admin)
            #expect(try await fixture.services.directory.user(id: 999) == nil)
        }
    }
}
