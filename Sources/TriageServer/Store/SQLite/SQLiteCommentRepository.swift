import Foundation
import GRDB

struct SQLiteCommentRepository: CommentRepository {
    let pool: DatabasePool

    static func comment(_ row: Row) -> Comment {
        Comment(
            id: row["id"], issueId: row["issue_id"], authorId: row["author_id"], content: row["content"],
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at")
        )
    }

    func list(issueId: IssueID, _ page: PageRequest) async throws(RepositoryError) -> Page<Comment> {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Self.requireIssue(issueId, db)
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM comments WHERE issue_id = ?", arguments: [issueId]) ?? 0
                let comments = try Row.fetchAll(
                    db, sql: "SELECT * FROM comments WHERE issue_id = ? ORDER BY id LIMIT ? OFFSET ?",
                    arguments: [issueId, page.size, page.offset]
                ).map(Self.comment)
                return Page(items: comments, request: page, totalItems: total)
            }
        }
    }

    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(sql: "UPDATE issues SET comment_count = comment_count + 1 WHERE id = ?", arguments: [issueId])
                guard db.changesCount > 0 else { throw RepositoryError.notFound(entity: "issue", id: issueId) }
                guard let row = try Row.fetchOne(
                    db,
                    sql: "INSERT INTO comments (issue_id, author_id, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
                    arguments: [issueId, authorId, content, now, now]
                ) else { throw RepositoryError.unavailable("insert returned nothing") }
                return Self.comment(row)
            }
        }
    }

    func find(id: CommentID) async throws(RepositoryError) -> Comment? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM comments WHERE id = ?", arguments: [id]).map(Self.comment)
            }
        }
    }

    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let row = try Row.fetchOne(
                    db, sql: "UPDATE comments SET content = ?, updated_at = ? WHERE id = ? RETURNING *",
                    arguments: [content, StoreTime.milliseconds(at), id]
                ) else { throw RepositoryError.notFound(entity: "comment", id: id) }
                return Self.comment(row)
            }
        }
    }

    func delete(id: CommentID) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let issueId = try IssueID.fetchOne(db, sql: "DELETE FROM comments WHERE id = ? RETURNING issue_id", arguments: [id]) else {
                    throw RepositoryError.notFound(entity: "comment", id: id)
                }
                try db.execute(sql: "UPDATE issues SET comment_count = comment_count - 1 WHERE id = ?", arguments: [issueId])
            }
        }
    }

    private static func requireIssue(_ id: IssueID, _ db: Database) throws {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM issues WHERE id = ?", arguments: [id]) != nil else {
            throw RepositoryError.notFound(entity: "issue", id: id)
        }
    }
}
