import Foundation
import GRDB

struct SQLiteCommentRepository: CommentRepository {
    let pool: DatabasePool

    func list(issueId: IssueID, _ page: PageRequest<CommentID>) async throws(RepositoryError) -> ListSlice<Comment> {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                guard let total = try Row.fetchOne(db, sql: ListSQL.commentTotal.sqlite, arguments: [issueId])?.int("comment_count") else {
                    throw RepositoryError.notFound(entity: "issue", id: issueId)
                }
                let rows = try Row.fetchAll(db, ListSQL.commentPage(issueId: issueId, page, .sqlite)).map(StoreRows.comment)
                return ListSlice(rows: rows, size: page.size, total: .exact(total))
            }
        }
    }

    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                guard try Row.fetchOne(db, sql: StoreSQL.Comments.countOneMore.sqlite, arguments: [issueId]) != nil else {
                    throw RepositoryError.notFound(entity: "issue", id: issueId)
                }
                guard let row = try Row.fetchOne(db, sql: StoreSQL.Comments.insert.sqlite, arguments: [issueId, authorId, content, now]) else {
                    throw RepositoryError.unavailable("insert returned nothing")
                }
                return try StoreRows.comment(row)
            }
        }
    }

    func find(id: CommentID) async throws(RepositoryError) -> Comment? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: StoreSQL.Comments.byID.sqlite, arguments: [id]).map(StoreRows.comment)
            }
        }
    }

    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let row = try Row.fetchOne(db, sql: StoreSQL.Comments.update.sqlite, arguments: [content, StoreTime.milliseconds(at), id]) else {
                    throw RepositoryError.notFound(entity: "comment", id: id)
                }
                return try StoreRows.comment(row)
            }
        }
    }

    func delete(id: CommentID) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let issueId = try IssueID.fetchOne(db, sql: StoreSQL.Comments.delete.sqlite, arguments: [id]) else {
                    throw RepositoryError.notFound(entity: "comment", id: id)
                }
                try db.execute(sql: StoreSQL.Comments.countOneLess.sqlite, arguments: [issueId])
            }
        }
    }
}
