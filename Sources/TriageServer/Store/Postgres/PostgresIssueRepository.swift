import Foundation
import PostgresNIO

struct PostgresIssueRepository: IssueRepository {
    let database: PostgresDatabase

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            if let assignee = new.assigneeId { try await Self.requireUser(assignee, field: "assigneeId", connection, logger) }
            let insert = PostgresQuery(StoreSQL.Issues.insert, new.title, new.description, new.priority.rawValue, new.reporterId, new.assigneeId, now)
            guard let row = try await connection.query(insert, logger: logger).first() else {
                throw RepositoryError.unavailable("insert returned nothing")
            }
            let issue = try StoreRows.issue(row)
            try await Self.recordEvent(issueId: issue.id, from: nil, to: .open, at: now, actorId: new.reporterId, connection, logger)
            return issue
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await database.query(PostgresQuery(StoreSQL.Issues.byID, id)) { rows in try await rows.first().map(StoreRows.issue) }
    }

    func recordView(id: IssueID) async throws(RepositoryError) -> Issue? {
        // One statement: the row lock makes concurrent views on any number of instances add up exactly.
        try await database.query(PostgresQuery(StoreSQL.Issues.recordView, id)) { rows in try await rows.first().map(StoreRows.issue) }
    }

    func list(_ filter: IssueFilter, _ page: PageRequest) async throws(RepositoryError) -> Page<Issue> {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let status = filter.status {
            binds.append(status.rawValue)
            conditions.append("status = $\(binds.count)")
        }
        if let assignee = filter.assigneeId {
            binds.append(assignee)
            conditions.append("assignee_id = $\(binds.count)")
        }
        if let reporter = filter.reporterId {
            binds.append(reporter)
            conditions.append("reporter_id = $\(binds.count)")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let count = PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS n FROM issues \(whereClause)", binds: binds)
        var pageBinds = binds
        pageBinds.append(page.size)
        pageBinds.append(page.offset)
        let select = PostgresQuery(
            unsafeSQL: "SELECT * FROM issues \(whereClause) ORDER BY created_at DESC, id DESC LIMIT $\(binds.count + 1) OFFSET $\(binds.count + 2)",
            binds: pageBinds
        )
        return try await database.transaction { connection, logger in
            let total = try await connection.query(count, logger: logger).first()?.int("n") ?? 0
            let issues = try await connection.query(select, logger: logger).rows().map(StoreRows.issue)
            return Page(items: issues, request: page, totalItems: total)
        }
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            guard let current = try await connection.query("SELECT * FROM issues WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(StoreRows.issue)
            else { throw RepositoryError.notFound(entity: "issue", id: id) }
            if let assignee = changes.newAssignee { try await Self.requireUser(assignee, field: "assigneeId", connection, logger) }
            let (updated, move) = try changes.applied(to: current)
            if let move { try await Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, connection, logger) }
            guard updated != current else { return current }
            let write = PostgresQuery(
                StoreSQL.Issues.update, updated.title, updated.description, updated.status.rawValue, updated.priority.rawValue, updated.assigneeId, now, id
            )
            guard let row = try await connection.query(write, logger: logger).first() else { throw RepositoryError.notFound(entity: "issue", id: id) }
            return try StoreRows.issue(row)
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        let deleted = try await database.query(PostgresQuery(StoreSQL.Issues.delete, id)) { rows in try await rows.rows().count }
        guard deleted > 0 else { throw .notFound(entity: "issue", id: id) }
    }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue] {
        // Here the ranking is an index-only scan of the INCLUDE index.
        try await database.query(PostgresQuery(StoreSQL.Issues.popular, StoreTime.milliseconds(since), limit)) { rows in
            try await rows.rows().map(StoreRows.issue)
        }
    }

    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] {
        try await database.query(PostgresQuery(StoreSQL.Issues.statusEvents, issueId)) { rows in try await rows.rows().map(StoreRows.statusEvent) }
    }

    private static func recordEvent(
        issueId: IssueID, from: IssueStatus?, to: IssueStatus, at: Int64, actorId: UserID, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query(PostgresQuery(StoreSQL.Issues.insertStatusEvent, issueId, from?.rawValue, to.rawValue, at, actorId), logger: logger)
    }

    static func requireUser(_ id: UserID, field: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard try await connection.query(PostgresQuery(StoreSQL.Users.exists, id), logger: logger).first() != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
