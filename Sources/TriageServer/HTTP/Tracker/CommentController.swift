import Hummingbird

/// Comments: listed and added under their issue, changed and removed by id.
struct CommentController {
    let services: TrackerServices

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.listComments, use: list)
        router.add(routes.createComment, use: create)
        router.add(routes.updateComment, use: update)
        router.add(routes.deleteComment, use: delete)
    }

    @Sendable func list(_ request: Request, context: TriageRequestContext) async throws -> EditedResponse<Page<Comment>> {
        let issueID = try RequestInput.id("id", in: context)
        let query = try ListQuery(request, list: .comments, positionLength: 1, scopeLength: 1)
        let scope = [String(issueID)]
        guard query.cursor.map({ $0.scope == scope }) ?? true else {
            throw HTTPProblem.invalid("cursor", "belongs to the comments of another issue")
        }
        let slice = try await services.store.comments.list(issueId: issueID, query.pageRequest { $0[0] })
        return query.response(slice, list: .comments, path: "/api/issues/\(issueID)/comments", scope: scope) { [$0.id] }
    }

    @Sendable func create(_ request: Request, context: TriageRequestContext) async throws -> EditedResponse<Comment> {
        let user = try context.requireUser()
        let issueID = try RequestInput.id("id", in: context)
        let body = try await RequestInput.decode(CommentRequest.self, from: request, context: context)
        let content = try TrackerValidation.text(body.content, field: "content", allowEmpty: false)
        let comment = try await services.store.comments.create(issueId: issueID, authorId: user.id, content: content, at: services.clock.now())
        return EditedResponse(status: .created, headers: [.location: "/api/comments/\(comment.id)"], response: comment)
    }

    @Sendable func update(_ request: Request, context: TriageRequestContext) async throws -> Comment {
        let user = try context.requireUser()
        let id = try RequestInput.id("id", in: context)
        let body = try await RequestInput.decode(CommentRequest.self, from: request, context: context)
        let content = try TrackerValidation.text(body.content, field: "content", allowEmpty: false)
        try await requireAuthorOrAdmin(user, commentID: id)
        return try await services.store.comments.update(id: id, content: content, at: services.clock.now())
    }

    @Sendable func delete(_ request: Request, context: TriageRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try RequestInput.id("id", in: context)
        try await requireAuthorOrAdmin(user, commentID: id)
        try await services.store.comments.delete(id: id)
        await services.forgetDeletedToday()
        return Response(status: .noContent)
    }

    private func requireAuthorOrAdmin(_ user: User, commentID: CommentID) async throws {
        guard let comment = try await services.store.comments.find(id: commentID) else {
            throw RepositoryError.notFound(entity: "comment", id: commentID)
        }
        guard user.role == .admin || comment.authorId == user.id else {
            throw HTTPProblem(.forbidden, detail: "Only the author or an ADMIN may change comment \(commentID).")
        }
    }
}
