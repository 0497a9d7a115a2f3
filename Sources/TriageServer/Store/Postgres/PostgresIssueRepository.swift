import Foundation
import PostgresNIO

struct PostgresIssueRepository: IssueRepository {
    let database: PostgresDatabase

    static func issue(_ row: PostgresRandomAccessRow) throws -> Issue {
        Issue(
            id: try row.value("id"), title: try row.value("title"), description: try row.value("description"),
            status: IssueStatus(rawValue: try row.value("status")) ?? .open,
            priority: IssuePriority(rawValue: try row.value("priority")) ?? .medium,
            reporterId: try row.value("reporter_id"), assigneeId: try row.value("assignee_id", as: Int64?.self),
            viewCount: try row.value("view_count", as: Int.self), commentCount: try row.value("comment_count", as: Int.self),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
        )
    }

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            if let assignee = new.assigneeId { try await Self.requireUser(assignee, field: "assigneeId", connection, logger) }
            guard let row = try await connection.query(
                """
                INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at)
                VALUES (\(new.title), \(new.description), 'OPEN', \(new.priority.rawValue), \(new.reporterId), \(new.assigneeId), \(now), \(now))
                RETURNING *
                """,
                logger: logger
            ).first() else { throw RepositoryError.unavailable("insert returned nothing") }
            let issue = try Self.issue(row)
            try await Self.recordEvent(issueId: issue.id, from: nil, to: .open, at: now, actorId: new.reporterId, connection, logger)
            return issue
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await database.query("SELECT * FROM issues WHERE id = \(id)") { rows in try await rows.first().map(Self.issue) }
    }

    func recordView(id: IssueID) async throws(RepositoryError) -> Issue? {
        // One statement: the row lock makes concurrent views on any number of instances add up exactly.
        try await database.query("UPDATE issues SET view_count = view_count + 1 WHERE id = \(id) RETURNING *") { rows in
            try await rows.first().map(Self.issue)
        }
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
            let total = try await connection.query(count, logger: logger).first()?.value("n", as: Int.self) ?? 0
            let issues = try await connection.query(select, logger: logger).rows().map(Self.issue)
            return Page(items: issues, request: page, totalItems: total)
        }
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            guard let current = try await connection.query("SELECT * FROM issues WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(Self.issue)
            else { throw RepositoryError.notFound(entity: "issue", id: id) }
            if let assignee = changes.newAssignee { try await Self.requireUser(assignee, field: "assigneeId", connection, logger) }
            let (updated, move) = try changes.applied(to: current)
            if let move { try await Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, connection, logger) }
            guard updated != current else { return current }
            guard let row = try await connection.query(
                """
                UPDATE issues SET title = \(updated.title), description = \(updated.description), status = \(updated.status.rawValue),
                    priority = \(updated.priority.rawValue), assignee_id = \(updated.assigneeId), updated_at = \(now)
                WHERE id = \(id) RETURNING *
                """,
                logger: logger
            ).first() else { throw RepositoryError.notFound(entity: "issue", id: id) }
            return try Self.issue(row)
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        let deleted = try await database.query("DELETE FROM issues WHERE id = \(id) RETURNING id") { rows in try await rows.rows().count }
        guard deleted > 0 else { throw .notFound(entity: "issue", id: id) }
    }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue] {
        // Rank ids from the covering index alone (an index-only scan), then read just those rows.
        try await database.query(
            """
            SELECT * FROM issues WHERE id IN (
                SELECT id FROM issues WHERE created_at >= \(StoreTime.milliseconds(since))
                ORDER BY view_count + comment_count DESC, created_at DESC, id DESC LIMIT \(limit)
            )
            ORDER BY view_count + comment_count DESC, created_at DESC, id DESC
            """
        ) { rows in try await rows.rows().map(Self.issue) }
    }

    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] {
        try await database.query("SELECT * FROM issue_status_events WHERE issue_id = \(issueId) ORDER BY id") { rows in
            try await rows.rows().map { row in
                IssueStatusEvent(
                    issueId: try row.value("issue_id"),
                    from: try row.value("from_status", as: String?.self).flatMap(IssueStatus.init(rawValue:)),
                    to: IssueStatus(rawValue: try row.value("to_status")) ?? .open,
                    at: try row.date("at"),
                    actorId: try row.value("actor_id", as: Int64?.self)
                )
            }
        }
    }

    private static func recordEvent(
        issueId: IssueID, from: IssueStatus?, to: IssueStatus, at: Int64, actorId: UserID, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id)
            VALUES (\(issueId), \(from?.rawValue), \(to.rawValue), \(at), \(actorId))
            """,
            logger: logger
        )
    }

    static func requireUser(_ id: UserID, field: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard try await connection.query("SELECT 1 AS one FROM users WHERE id = \(id)", logger: logger).first() != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
