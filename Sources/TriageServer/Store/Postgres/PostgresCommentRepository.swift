import Foundation
import PostgresNIO

struct PostgresCommentRepository: CommentRepository {
    let database: PostgresDatabase

    func list(issueId: IssueID, _ page: PageRequest<CommentID>) async throws(RepositoryError) -> ListSlice<Comment> {
        let (rows, total) = try await database.concurrently({ [database] () async throws(RepositoryError) in
            try await database.query(PostgresQuery(ListSQL.commentPage(issueId: issueId, page, .postgres))) { rows in try await rows.rows().map(StoreRows.comment) }
        }, { () async throws(RepositoryError) in
            try await database.query(PostgresQuery(ListSQL.commentTotal, issueId)) { rows in try await rows.first()?.int("comment_count") }
        })
        guard let total else { throw .notFound(entity: "issue", id: issueId) }
        return ListSlice(rows: rows, size: page.size, total: .exact(total))
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
