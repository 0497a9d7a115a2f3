import Foundation
import GRDB

struct SQLiteCommentRepository: CommentRepository {
    let pool: DatabasePool

    func list(issueId: IssueID, _ page: PageRequest) async throws(RepositoryError) -> Page<Comment> {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                guard try Row.fetchOne(db, sql: StoreSQL.Issues.exists.sqlite, arguments: [issueId]) != nil else {
                    throw RepositoryError.notFound(entity: "issue", id: issueId)
                }
                let total = try Int.fetchOne(db, sql: StoreSQL.Comments.count.sqlite, arguments: [issueId]) ?? 0
                let comments = try Row.fetchAll(db, sql: StoreSQL.Comments.page.sqlite, arguments: [issueId, page.size, page.offset])
                    .map(StoreRows.comment)
                return Page(items: comments, request: page, totalItems: total)
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
