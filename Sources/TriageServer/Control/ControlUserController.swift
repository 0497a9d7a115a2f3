import Foundation
import Hummingbird
import TriageControlAPI

/// `POST /v1/users`: how the first ADMIN comes to exist (and any account an operator makes by hand).
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
