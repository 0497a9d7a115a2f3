import Foundation
import PostgresNIO

struct PostgresCommentRepository: CommentRepository {
    let database: PostgresDatabase

    static func comment(_ row: PostgresRandomAccessRow) throws -> Comment {
        Comment(
            id: try row.value("id"), issueId: try row.value("issue_id"), authorId: try row.value("author_id"),
            content: try row.value("content"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }

    func list(issueId: IssueID, _ page: PageRequest) async throws(RepositoryError) -> Page<Comment> {
        try await database.transaction { connection, logger in
            guard try await connection.query("SELECT 1 AS one FROM issues WHERE id = \(issueId)", logger: logger).first() != nil else {
                throw RepositoryError.notFound(entity: "issue", id: issueId)
            }
            let total = try await connection.query("SELECT COUNT(*) AS n FROM comments WHERE issue_id = \(issueId)", logger: logger)
                .first()?.value("n", as: Int.self) ?? 0
            let comments = try await connection.query(
                "SELECT * FROM comments WHERE issue_id = \(issueId) ORDER BY id LIMIT \(page.size) OFFSET \(page.offset)", logger: logger
            ).rows().map(Self.comment)
            return Page(items: comments, request: page, totalItems: total)
        }
    }

    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            // Counting first takes the issue's row lock: concurrent comments from any instance add up exactly.
            guard try await connection.query(
                "UPDATE issues SET comment_count = comment_count + 1 WHERE id = \(issueId) RETURNING id", logger: logger
            ).first() != nil else { throw RepositoryError.notFound(entity: "issue", id: issueId) }
            guard let row = try await connection.query(
                """
                INSERT INTO comments (issue_id, author_id, content, created_at, updated_at)
                VALUES (\(issueId), \(authorId), \(content), \(now), \(now)) RETURNING *
                """,
                logger: logger
            ).first() else { throw RepositoryError.unavailable("insert returned nothing") }
            return try Self.comment(row)
        }
    }

    func find(id: CommentID) async throws(RepositoryError) -> Comment? {
        try await database.query("SELECT * FROM comments WHERE id = \(id)") { rows in try await rows.first().map(Self.comment) }
    }

    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let row = try await database.query(
            "UPDATE comments SET content = \(content), updated_at = \(StoreTime.milliseconds(at)) WHERE id = \(id) RETURNING *"
        ) { rows in try await rows.first().map(Self.comment) }
        guard let row else { throw .notFound(entity: "comment", id: id) }
        return row
    }

    func delete(id: CommentID) async throws(RepositoryError) {
        try await database.transaction { connection, logger in
            guard let issueId = try await connection.query("DELETE FROM comments WHERE id = \(id) RETURNING issue_id", logger: logger)
                .first()?.value("issue_id", as: Int64.self)
            else { throw RepositoryError.notFound(entity: "comment", id: id) }
            try await connection.query("UPDATE issues SET comment_count = comment_count - 1 WHERE id = \(issueId)", logger: logger)
        }
    }
}
