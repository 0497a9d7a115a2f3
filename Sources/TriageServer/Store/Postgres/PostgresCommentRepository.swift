import Foundation
import PostgresNIO

struct PostgresCommentRepository: CommentRepository {
    let database: PostgresDatabase

    func list(issueId: IssueID, _ page: PageRequest) async throws(RepositoryError) -> Page<Comment> {
        try await database.transaction { connection, logger in
            guard try await connection.query(PostgresQuery(StoreSQL.Issues.exists, issueId), logger: logger).first() != nil else {
                throw RepositoryError.notFound(entity: "issue", id: issueId)
            }
            let total = try await connection.query(PostgresQuery(StoreSQL.Comments.count, issueId), logger: logger).first()?.int("n") ?? 0
            let comments = try await connection.query(PostgresQuery(StoreSQL.Comments.page, issueId, page.size, page.offset), logger: logger)
                .rows().map(StoreRows.comment)
            return Page(items: comments, request: page, totalItems: total)
        }
    }

    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            // Counting first takes the issue's row lock: concurrent comments from any instance add up exactly.
            guard try await connection.query(PostgresQuery(StoreSQL.Comments.countOneMore, issueId), logger: logger).first() != nil else {
                throw RepositoryError.notFound(entity: "issue", id: issueId)
            }
            guard let row = try await connection.query(PostgresQuery(StoreSQL.Comments.insert, issueId, authorId, content, now), logger: logger)
                .first()
            else { throw RepositoryError.unavailable("insert returned nothing") }
            return try StoreRows.comment(row)
        }
    }

    func find(id: CommentID) async throws(RepositoryError) -> Comment? {
        try await database.query(PostgresQuery(StoreSQL.Comments.byID, id)) { rows in try await rows.first().map(StoreRows.comment) }
    }

    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let row = try await database.query(PostgresQuery(StoreSQL.Comments.update, content, StoreTime.milliseconds(at), id)) { rows in
            try await rows.first().map(StoreRows.comment)
        }
        guard let row else { throw .notFound(entity: "comment", id: id) }
        return row
    }

    func delete(id: CommentID) async throws(RepositoryError) {
        try await database.transaction { connection, logger in
            guard let issueId = try await connection.query(PostgresQuery(StoreSQL.Comments.delete, id), logger: logger).first()?.int64("issue_id")
            else { throw RepositoryError.notFound(entity: "comment", id: id) }
            try await connection.query(PostgresQuery(StoreSQL.Comments.countOneLess, issueId), logger: logger)
        }
    }
}
