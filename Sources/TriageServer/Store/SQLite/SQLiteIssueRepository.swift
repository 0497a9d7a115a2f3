import Foundation
import GRDB

struct SQLiteIssueRepository: IssueRepository {
    let pool: DatabasePool

    static func issue(_ row: Row) -> Issue {
        Issue(
            id: row["id"], title: row["title"], description: row["description"],
            status: IssueStatus(rawValue: row["status"]) ?? .open,
            priority: IssuePriority(rawValue: row["priority"]) ?? .medium,
            reporterId: row["reporter_id"], assigneeId: row["assignee_id"],
            viewCount: row["view_count"], commentCount: row["comment_count"],
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at")
        )
    }

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                if let assignee = new.assigneeId { try Self.requireUser(assignee, field: "assigneeId", db) }
                guard let row = try Row.fetchOne(
                    db,
                    sql: """
                        INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at)
                        VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?) RETURNING *
                        """,
                    arguments: [new.title, new.description, new.priority.rawValue, new.reporterId, new.assigneeId, now, now]
                ) else { throw RepositoryError.unavailable("insert returned nothing") }
                let issue = Self.issue(row)
                try Self.recordEvent(issueId: issue.id, from: nil, to: .open, at: now, actorId: new.reporterId, db)
                return issue
            }
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM issues WHERE id = ?", arguments: [id]).map(Self.issue)
            }
        }
    }

    func recordView(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try Row.fetchOne(db, sql: "UPDATE issues SET view_count = view_count + 1 WHERE id = ? RETURNING *", arguments: [id])
                    .map(Self.issue)
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
                ).map(Self.issue)
                return Page(items: issues, request: page, totalItems: total)
            }
        }
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await SQLiteSupport.perform {
            try await pool.write { db in
                guard let current = try Row.fetchOne(db, sql: "SELECT * FROM issues WHERE id = ?", arguments: [id]).map(Self.issue) else {
                    throw RepositoryError.notFound(entity: "issue", id: id)
                }
                if let assignee = changes.newAssignee { try Self.requireUser(assignee, field: "assigneeId", db) }
                let (updated, move) = try changes.applied(to: current)
                if let move { try Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, db) }
                guard updated != current else { return current }
                guard let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE issues SET title = ?, description = ?, status = ?, priority = ?, assignee_id = ?, updated_at = ?
                        WHERE id = ? RETURNING *
                        """,
                    arguments: [updated.title, updated.description, updated.status.rawValue, updated.priority.rawValue, updated.assigneeId, now, id]
                ) else { throw RepositoryError.notFound(entity: "issue", id: id) }
                return Self.issue(row)
            }
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM issues WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { throw RepositoryError.notFound(entity: "issue", id: id) }
            }
        }
    }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue] {
        // The maintained counters and the covering popularity index: rank ids from the index
        // (one uncorrelated subquery, run once), then read just those rows.
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM issues WHERE id IN (
                            SELECT id FROM issues WHERE created_at >= ?
                            ORDER BY view_count + comment_count DESC, created_at DESC, id DESC LIMIT ?
                        )
                        ORDER BY view_count + comment_count DESC, created_at DESC, id DESC
                        """,
                    arguments: [StoreTime.milliseconds(since), limit]
                ).map(Self.issue)
            }
        }
    }

    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM issue_status_events WHERE issue_id = ? ORDER BY id", arguments: [issueId]).map { row in
                    IssueStatusEvent(
                        issueId: row["issue_id"],
                        from: (row["from_status"] as String?).flatMap(IssueStatus.init(rawValue:)),
                        to: IssueStatus(rawValue: row["to_status"]) ?? .open,
                        at: row.date("at"),
                        actorId: row["actor_id"]
                    )
                }
            }
        }
    }

    private static func recordEvent(issueId: IssueID, from: IssueStatus?, to: IssueStatus, at: Int64, actorId: UserID, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id) VALUES (?, ?, ?, ?, ?)",
            arguments: [issueId, from?.rawValue, to.rawValue, at, actorId]
        )
    }

    static func requireUser(_ id: UserID, field: String, _ db: Database) throws {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [id]) != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
