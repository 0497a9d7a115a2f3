import Hummingbird

/// `/api/users`: who am I, and (ADMIN) everyone and their roles.
struct UserController {
    let services: TrackerServices

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.currentUser, use: me)
        router.add(routes.listUsers, use: list)
        router.add(routes.changeRole, use: changeRole)
    }

    @Sendable func me(_ request: Request, context: TriageRequestContext) async throws -> User {
        try context.requireUser()
    }

    @Sendable func list(_ request: Request, context: TriageRequestContext) async throws -> EditedResponse<Page<User>> {
        let query = try ListQuery(request, list: .users, positionLength: 1, scopeLength: 0)
        let slice = try await services.store.users.list(query.pageRequest { $0[0] })
        return query.response(slice, list: .users, path: "/api/users", scope: []) { [$0.id] }
    }

    @Sendable func changeRole(_ request: Request, context: TriageRequestContext) async throws -> User {
        let admin = try context.requireUser()
        let id = try RequestInput.id("id", in: context)
        let body = try await RequestInput.decode(RoleChangeRequest.self, from: request, context: context)
        let role = try RequestInput.enumValue(body.role.uppercased(), field: "role", as: Role.self)
        let user = try await services.store.users.changeRole(id: id, to: role)
        services.directory.update(user)
        await services.cluster.broadcast(.userChanged(user.id))
        context.logger.notice("role changed", metadata: ["user.id": "\(id)", "role": "\(role.rawValue)", "by": "\(admin.id)"])
        return user
    }
}
