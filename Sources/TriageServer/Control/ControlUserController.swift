import Foundation
import Hummingbird
import TriageControlAPI

/// `/v1/users`: how the first ADMIN comes to exist, and what an operator does
/// with accounts when nobody can sign in as an ADMIN (list, role, password,
/// disable, enable). Every change is applied to this instance's directory at
/// once and announced to the others sharing the database.
struct ControlUserController {
    let tracker: TrackerServices

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.post(RouterPath(ControlPath.users)) { request, context in
            let body = try await RequestInput.decode(CreateUserRequest.self, from: request, context: context)
            let username = try TrackerValidation.username(body.username)
            let role = try RequestInput.enumValue(body.role.uppercased(), field: "role", as: Role.self)
            let generated = body.password == nil ? PasswordGenerator.make() : nil
            let password = try TrackerValidation.password(body.password ?? generated ?? "")
            let hash = try await tracker.hasher.hash(password)
            let user = try await tracker.store.users.create(username: username, passwordHash: hash, role: role, at: tracker.clock.now())
            tracker.directory.update(user)
            context.logger.notice(
                "user \(user.username) (id \(user.id)) created as \(role.rawValue) over the control socket",
                metadata: ["user.id": "\(user.id)", "user.name": "\(user.username)", "role": "\(role.rawValue)"]
            )
            return try encoded(CreateUserResponse(
                id: user.id, username: user.username, role: user.role.rawValue, createdAt: user.createdAt, generatedPassword: generated
            ))
        }
        router.get(RouterPath(ControlPath.users)) { _, _ in
            try encoded(try await tracker.store.users.all().map(\.account))
        }
        router.put(RouterPath(ControlPath.userRole)) { request, context in
            let user = try await named(context)
            let body = try await RequestInput.decode(SetRoleRequest.self, from: request, context: context)
            let role = try RequestInput.enumValue(body.role.uppercased(), field: "role", as: Role.self)
            let changed = try await tracker.store.users.changeRole(id: user.id, to: role)
            await announce(changed, "role of \(changed.username) set to \(role.rawValue)", context)
            return try encoded(changed.account)
        }
        router.post(RouterPath(ControlPath.userPassword)) { request, context in
            let user = try await named(context)
            let body = try await RequestInput.decode(ResetPasswordRequest.self, from: request, context: context)
            let generated = body.password == nil ? PasswordGenerator.make() : nil
            let password = try TrackerValidation.password(body.password ?? generated ?? "")
            let hash = try await tracker.hasher.hash(password)
            let changed = try await tracker.store.users.setPassword(id: user.id, passwordHash: hash, at: tracker.clock.now())
            await announce(changed, "password of \(changed.username) reset; tokens issued before now are refused", context)
            return try encoded(ResetPasswordResponse(account: changed.account, generatedPassword: generated))
        }
        for (path, disabled) in [(ControlPath.userDisable, true), (ControlPath.userEnable, false)] {
            router.post(RouterPath(path)) { _, context in
                let user = try await named(context)
                let changed = try await tracker.store.users.setDisabled(id: user.id, disabled, at: tracker.clock.now())
                let what = disabled ? "disabled; its tokens are refused" : "enabled; it may log in again"
                await announce(changed, "user \(changed.username) \(what)", context)
                return try encoded(changed.account)
            }
        }
    }

    /// The account the path names: 400 for a name no account can have, 404 for one nobody has.
    private func named(_ context: ControlRequestContext) async throws -> User {
        let name = try TrackerValidation.username(context.parameters.get("name") ?? "")
        guard let user = try await tracker.store.users.credentials(username: name)?.user else {
            throw HTTPProblem(.notFound, detail: "no user is named \(name)")
        }
        return user
    }

    /// This instance sees the change at once, the others when the notice reaches them.
    private func announce(_ user: User, _ message: String, _ context: ControlRequestContext) async {
        tracker.directory.update(user)
        await tracker.cluster.broadcast(.userChanged(user.id))
        context.logger.notice("\(message) (over the control socket)", metadata: ["user.id": "\(user.id)", "user.name": "\(user.username)"])
    }
}

extension User {
    var account: UserAccount {
        UserAccount(
            id: id, username: username, role: role.rawValue, createdAt: createdAt,
            disabled: isDisabled, disabledAt: disabledAt, tokensValidAfter: tokensValidAfter
        )
    }
}

enum PasswordGenerator {
    /// 24 characters from 62: about 143 bits.
    static func make() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
