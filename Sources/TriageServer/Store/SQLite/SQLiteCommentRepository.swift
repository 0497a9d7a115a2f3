import Foundation
import GRDB

struct SQLiteCommentRepository: CommentRepository {
    let database: SQLiteDatabase

    func list(issueId: IssueID, _ page: PageRequest<CommentID>) async throws(RepositoryError) -> ListSlice<Comment> {
        try database.read { db in
            guard let total = try Row.fetchOne(db.statement(ListSQL.commentTotal), arguments: [issueId])?.int("comment_count") else {
                throw RepositoryError.notFound(entity: "issue", id: issueId)
            }
            let rows = try db.mapRows(ListSQL.commentPage(issueId: issueId, page, .sqlite), StoreRows.comment)
            return ListSlice(rows: rows, size: page.size, total: .exact(total))
        }
    }

    func create(issueId: IssueID, authorId: UserID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        let now = StoreTime.milliseconds(at)
        return try await database.write { db in
            guard try Row.fetchOne(db.statement(StoreSQL.Comments.countOneMore), arguments: [issueId]) != nil else {
                throw RepositoryError.notFound(entity: "issue", id: issueId)
            }
            guard let row = try Row.fetchOne(db.statement(StoreSQL.Comments.insert), arguments: [issueId, authorId, content, now]) else {
                throw RepositoryError.unavailable("insert returned nothing")
            }
            return try StoreRows.comment(row)
        }
    }

    func find(id: CommentID) async throws(RepositoryError) -> Comment? {
        try database.readOneStatement { db in
            try db.statement(StoreSQL.Comments.byID).mapFirstRow([id], StoreRows.comment)
        }
    }

    func update(id: CommentID, content: String, at: Date) async throws(RepositoryError) -> Comment {
        try await database.write { db in
            guard let row = try Row.fetchOne(db.statement(StoreSQL.Comments.update), arguments: [content, StoreTime.milliseconds(at), id]) else {
                throw RepositoryError.notFound(entity: "comment", id: id)
            }
            return try StoreRows.comment(row)
        }
    }

    func delete(id: CommentID) async throws(RepositoryError) {
        try await database.write { db in
            guard let issueId = try IssueID.fetchOne(db.statement(StoreSQL.Comments.delete), arguments: [id]) else {
                throw RepositoryError.notFound(entity: "comment", id: id)
            }
            try db.statement(StoreSQL.Comments.countOneLess).execute(arguments: [issueId])
        }
    }
}
