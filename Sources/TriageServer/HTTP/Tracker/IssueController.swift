import Hummingbird

/// `/api/issues`: create, list, read (counting a view), change, delete.
struct IssueController {
    let services: TrackerServices

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.createIssue, use: create)
        router.add(routes.listIssues) { request, context in try await list(request, path: routes.listIssues.path) }
        router.add(routes.popularIssues, use: popular)
        router.add(routes.getIssue, use: get)
        router.add(routes.updateIssue, use: update)
        router.add(routes.deleteIssue, use: delete)
    }

    @Sendable func create(_ request: Request, context: TriageRequestContext) async throws -> EditedResponse<Issue> {
        let user = try context.requireUser()
        let body = try await RequestInput.decode(CreateIssueRequest.self, from: request, context: context)
        let new = NewIssue(
            title: try TrackerValidation.title(body.title),
            description: try TrackerValidation.text(body.description, field: "description", allowEmpty: true),
            priority: try body.priority.map { try RequestInput.enumValue($0, field: "priority", as: IssuePriority.self) } ?? .medium,
            reporterId: user.id,
            assigneeId: try body.assigneeId.map { id throws in
                guard id > 0 else { throw HTTPProblem.invalid("assigneeId", "must be a positive integer") }
                return id
            }
        )
        let issue = try await services.store.issues.create(new, at: services.clock.now())
        return EditedResponse(status: .created, headers: [.location: "/api/issues/\(issue.id)"], response: issue)
    }

    /// `path` is the route's own, which the `Link` to the next page names.
    func list(_ request: Request, path: String) async throws -> EditedResponse<Page<Issue>> {
        let list = try IssueListRequest(request.uri.queryParameters)
        return list.response(try await services.store.issues.list(list.filter, list.pageRequest), path: path)
    }

    @Sendable func popular(_ request: Request, context: TriageRequestContext) async throws -> Response {
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: try await services.popular.body())
        )
    }

    @Sendable func get(_ request: Request, context: TriageRequestContext) async throws -> Issue {
        let id = try RequestInput.id("id", in: context)
        guard let issue = try await services.views.view(id) else {
            throw RepositoryError.notFound(entity: "issue", id: id)
        }
        return issue
    }

    @Sendable func update(_ request: Request, context: TriageRequestContext) async throws -> Issue {
        let user = try context.requireUser()
        let id = try RequestInput.id("id", in: context)
        let body = try await RequestInput.decode(UpdateIssueRequest.self, from: request, context: context)
        let changes = IssueChanges(
            title: try body.title.map(TrackerValidation.title),
            description: try body.description.map { try TrackerValidation.text($0, field: "description", allowEmpty: true) },
            status: try body.status.map { try RequestInput.enumValue($0, field: "status", as: IssueStatus.self) },
            priority: try body.priority.map { try RequestInput.enumValue($0, field: "priority", as: IssuePriority.self) },
            assignee: body.assigneeId
        )
        guard let current = try await services.store.issues.find(id: id) else {
            throw RepositoryError.notFound(entity: "issue", id: id)
        }
        guard user.role == .admin || current.reporterId == user.id || current.assigneeId == user.id else {
            throw HTTPProblem(.forbidden, detail: "Only the reporter, the assignee or an ADMIN may change issue \(id).")
        }
        return try await services.store.issues.update(id: id, changes, actorId: user.id, at: services.clock.now())
    }

    @Sendable func delete(_ request: Request, context: TriageRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try RequestInput.id("id", in: context)
        guard let current = try await services.store.issues.find(id: id) else {
            throw RepositoryError.notFound(entity: "issue", id: id)
        }
        guard user.role == .admin || current.reporterId == user.id else {
            throw HTTPProblem(.forbidden, detail: "Only the reporter or an ADMIN may delete issue \(id).")
        }
        try await services.store.issues.delete(id: id)
        await services.popular.invalidate()
        await services.cluster.broadcast(.flushCaches(PopularIssues.cacheName))
        await services.forgetDeletedToday()
        return Response(status: .noContent)
    }
}
