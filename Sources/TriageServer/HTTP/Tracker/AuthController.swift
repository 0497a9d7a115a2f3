import Foundation
import Hummingbird

/// `POST /api/auth/signup` and `POST /api/auth/login`.
struct AuthController {
    let services: TrackerServices

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.signup, use: signup)
        router.add(routes.login, use: login)
    }

    @Sendable func signup(_ request: Request, context: TriageRequestContext) async throws -> EditedResponse<User> {
        guard services.settings.current.signupEnabled else {
            throw HTTPProblem(.forbidden, detail: "Sign-up is disabled on this server; ask an administrator for an account.")
        }
        try takeAttempt(request, context: context)
        let body = try await RequestInput.decode(CredentialsRequest.self, from: request, context: context)
        let username = try TrackerValidation.username(body.username)
        let password = try TrackerValidation.password(body.password)
        // A taken name is answered before the expensive hash (the store still decides a race).
        if try await services.store.users.credentials(username: username) != nil {
            throw UserRules.nameTaken(username)
        }
        let hash = try await services.hasher.hash(password)
        let user = try await services.store.users.create(username: username, passwordHash: hash, role: .member, at: services.clock.now())
        services.directory.update(user)
        context.logger.notice("user signed up", metadata: ["user.id": "\(user.id)", "user.name": "\(user.username)"])
        return EditedResponse(status: .created, headers: [.location: "/api/users/\(user.id)"], response: user)
    }

    @Sendable func login(_ request: Request, context: TriageRequestContext) async throws -> TokenResponse {
        try takeAttempt(request, context: context)
        let body = try await RequestInput.decode(CredentialsRequest.self, from: request, context: context)
        // Exactly sign-up's rule, before anything else: a name that cannot exist costs no lookup,
        // no hash, no throttle entry and no log line.
        let username = try TrackerValidation.username(body.username)
        if let wait = services.throttle.reserve(username: username) {
            services.authMetrics.rejected(.userThrottle)
            throw HTTPProblem.tooManyRequests(
                "Too many failed logins for this user, or one is being checked; try again later.", retryAfter: wait
            )
        }
        var outcome = LoginThrottle.Outcome.abandoned
        defer { services.throttle.finish(username: username, outcome) }
        // The token is dated when the hash was read, not after bcrypt: a password reset that
        // lands while the old password is being checked then refuses the token it yields.
        let readAt = services.clock.now()
        let credentials = try await services.store.users.credentials(username: username)
        let hash: String
        if let stored = credentials?.passwordHash {
            hash = stored
        } else {
            hash = try await services.decoy.value()
        }
        let valid = try await services.hasher.verify(body.password, hash: hash)
        guard let credentials, valid else {
            outcome = .wrongPassword
            // Never the password: only who tried.
            context.logger.warning("login failed for \(username)", metadata: ["user.name": "\(username)"])
            throw HTTPProblem.unauthenticated("Invalid username or password.")
        }
        outcome = .succeeded
        // Said only to someone who knows the password: it tells them whom to ask.
        guard !credentials.user.isDisabled else {
            context.logger.notice("login refused: \(username) is disabled", metadata: ["user.name": "\(username)"])
            throw HTTPProblem(.forbidden, detail: "This account is disabled; an administrator can enable it.")
        }
        let token = try await services.tokens.issue(for: credentials.user, issuedAt: readAt)
        return TokenResponse(accessToken: token.token, expiresIn: token.expiresIn)
    }

    /// The per-address budget, spent before the body is even read: the cheapest refusal comes first.
    private func takeAttempt(_ request: Request, context: TriageRequestContext) throws {
        let client = services.clientAddress(of: request, context: context)
        guard let wait = services.attempts.take(client) else { return }
        services.authMetrics.rejected(.addressRate)
        throw HTTPProblem.tooManyRequests("Too many sign-ups or logins from your address; try again later.", retryAfter: wait)
    }
}
