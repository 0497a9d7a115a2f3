import Foundation
import GRDB
import Testing
import TriageTestSupport
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct UserDirectoryTests {
    @Test func aUserRemovedBehindOurBackLosesAccessWithinTheMaximumAge() async throws {
        try await TrackerFixture.with { fixture in
            let member = try await fixture.user("member", .member)
            try await fixture.test(.router) { client in
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

    @Test func aStoreReadThatStartedBeforeARoleChangeDoesNotUndoIt() async throws {
        try await TrackerFixture.with { fixture in
            let (member, _) = try await fixture.user("member", .member)
            let gated = GatedUsers(base: fixture.store.users)
            let directory = UserDirectory(repository: gated, clock: fixture.clock)
            // A read of the member as it is now (MEMBER), held in flight...
            let reading = Task { try await directory.user(id: member.id) }
            #expect(try await eventually { gated.gate.waiting == 1 }, "the read is in flight")
            // ...while this process promotes them.
            let promoted = try await fixture.store.users.changeRole(id: member.id, to: .admin)
            directory.update(promoted)
            gated.gate.open()
            #expect(try await reading.value?.role == .admin, "the read answers with the newer change")
            #expect(directory.freshUser(id: member.id)?.role == .admin, "and did not write MEMBER back")
        }
    }
}

/// The store's users, with `find` held at a gate, after it has read the row.
final class GatedUsers: UserRepository {
    let base: any UserRepository
    let gate = Gate()

    init(base: any UserRepository) {
        self.base = base
    }

    func find(id: UserID) async throws(RepositoryError) -> User? {
        let user = try await base.find(id: id)
        await gate.pass()
        return user
    }

    func create(username: String, passwordHash: String, role: Role, at: Date) async throws(RepositoryError) -> User {
        try await base.create(username: username, passwordHash: passwordHash, role: role, at: at)
    }
    func credentials(username: String) async throws(RepositoryError) -> UserCredentials? { try await base.credentials(username: username) }
    func list(_ page: PageRequest<UserID>) async throws(RepositoryError) -> ListSlice<User> { try await base.list(page) }
    func changeRole(id: UserID, to role: Role) async throws(RepositoryError) -> User { try await base.changeRole(id: id, to: role) }
    func count(role: Role) async throws(RepositoryError) -> Int { try await base.count(role: role) }
    func all() async throws(RepositoryError) -> [User] { try await base.all() }
    func setPassword(id: UserID, passwordHash: String, at: Date) async throws(RepositoryError) -> User {
        try await base.setPassword(id: id, passwordHash: passwordHash, at: at)
    }
    func setDisabled(id: UserID, _ disabled: Bool, at: Date) async throws(RepositoryError) -> User {
        try await base.setDisabled(id: id, disabled, at: at)
    }
}
