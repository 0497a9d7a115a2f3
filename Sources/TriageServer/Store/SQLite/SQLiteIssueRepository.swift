import Foundation
import GRDB

struct SQLiteIssueRepository: IssueRepository {
    let pool: DatabasePool

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                if let assignee = new.assigneeId { try Self.requireUser(assignee, field: "assigneeId", db) }
                guard let row = try Row.fetchOne(
                    db, sql: StoreSQL.Issues.insert.sqlite,
                    arguments: [new.title, new.description, new.priority.rawValue, new.reporterId, new.assigneeId, now]
                ) else { throw RepositoryError.unavailable("insert returned nothing") }
                let issue = try StoreRows.issue(row)
                try Self.recordEvent(issueId: issue.id, from: nil, to: .open, at: now, actorId: new.reporterId, db)
                return issue
            }
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: StoreSQL.Issues.byID.sqlite, arguments: [id]).map(StoreRows.issue)
            }
        }
    }

    func recordView(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try Row.fetchOne(db, sql: StoreSQL.Issues.recordView.sqlite, arguments: [id]).map(StoreRows.issue)
            }
        }
    }

    func list(_ filter: IssueFilter, _ page: PageRequest) async throws(RepositoryError) -> Page<Issue> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let assignee = filter.assigneeId {
            conditions.append("assignee_id = ?")
            arguments += [assignee]
        }
        if let reporter = filter.reporterId {
            conditions.append("reporter_id = ?")
            arguments += [reporter]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let countArguments = arguments
        let pageArguments = arguments + [page.size, page.offset]
        return try await SQLiteSupport.perform {
            try await pool.read { db in
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM issues \(whereClause)", arguments: countArguments) ?? 0
                let issues = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM issues \(whereClause) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                    arguments: pageArguments
                ).map(StoreRows.issue)
                return Page(items: issues, request: page, totalItems: total)
            }
        }
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let current = try Row.fetchOne(db, sql: StoreSQL.Issues.byID.sqlite, arguments: [id]).map(StoreRows.issue) else {
                    throw RepositoryError.notFound(entity: "issue", id: id)
                }
                if let assignee = changes.newAssignee { try Self.requireUser(assignee, field: "assigneeId", db) }
                let (updated, move) = try changes.applied(to: current)
                if let move { try Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, db) }
                guard updated != current else { return current }
                guard let row = try Row.fetchOne(
                    db, sql: StoreSQL.Issues.update.sqlite,
                    arguments: [updated.title, updated.description, updated.status.rawValue, updated.priority.rawValue, updated.assigneeId, now, id]
                ) else { throw RepositoryError.notFound(entity: "issue", id: id) }
                return try StoreRows.issue(row)
            }
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                guard try Row.fetchOne(db, sql: StoreSQL.Issues.delete.sqlite, arguments: [id]) != nil else {
                    throw RepositoryError.notFound(entity: "issue", id: id)
                }
            }
        }
    }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue] {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(db, sql: StoreSQL.Issues.popular.sqlite, arguments: [StoreTime.milliseconds(since), limit]).map(StoreRows.issue)
            }
        }
    }

    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(db, sql: StoreSQL.Issues.statusEvents.sqlite, arguments: [issueId]).map(StoreRows.statusEvent)
            }
        }
    }

    private static func recordEvent(issueId: IssueID, from: IssueStatus?, to: IssueStatus, at: Int64, actorId: UserID, _ db: Database) throws {
        try db.execute(sql: StoreSQL.Issues.insertStatusEvent.sqlite, arguments: [issueId, from?.rawValue, to.rawValue, at, actorId])
    }

    static func requireUser(_ id: UserID, field: String, _ db: Database) throws {
        guard try Row.fetchOne(db, sql: StoreSQL.Users.exists.sqlite, arguments: [id]) != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
