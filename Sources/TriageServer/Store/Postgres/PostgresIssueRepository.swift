import Foundation
import PostgresNIO

struct PostgresIssueRepository: IssueRepository {
    let database: PostgresDatabase

    /// The issue, its first status event and its count in one statement: one round trip,
    /// atomic without BEGIN and COMMIT (four round trips more, which were most of a
    /// `POST /api/issues` on PostgreSQL). SQLite has no INSERT inside WITH.
    private static let createWithHistory = """
        WITH issue AS (\(StoreSQL.Issues.insert.postgres)),
        event AS (
            INSERT INTO issue_status_events (issue_id, from_status, to_status, at, actor_id) SELECT id, NULL, 'OPEN', $6, $4 FROM issue
        ),
        counted AS (
            INSERT INTO issue_counts (status, shard, n) SELECT 'OPEN', id % 16, 1 FROM issue
            ON CONFLICT (status, shard) DO UPDATE SET n = issue_counts.n + 1
        )
        SELECT * FROM issue
        """

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        if let assignee = new.assigneeId {
            // Asked first for an error that names the field; the foreign key holds if the user goes in between.
            guard try await database.query(PostgresQuery(StoreSQL.Users.exists, assignee), { rows in try await rows.first() != nil }) else {
                throw RepositoryError.invalidReference(field: "assigneeId", id: assignee)
            }
        }
        let create = PostgresQuery(postgresOnly: Self.createWithHistory, [
            new.title, new.description, new.priority.rawValue, new.reporterId, new.assigneeId, StoreTime.milliseconds(at),
        ])
        return try await database.query(create) { rows in
            guard let row = try await rows.first() else { throw RepositoryError.unavailable("insert returned nothing") }
            return try StoreRows.issue(row)
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try await database.execute(PostgresPrepared.IssueByID(id: id)) { rows in try rows.first.map(StoreRows.issue) }
    }

    func addViews(_ views: [IssueID: Int]) async throws(RepositoryError) {
        // One statement for the batch, fed in id order so that two instances' batches
        // normally lock shared rows in the same order; a deadlock PostgreSQL breaks fails
        // one batch, which IssueViews keeps and writes a second later.
        let ordered = views.sorted { $0.key < $1.key }
        var bindings = PostgresBindings()
        bindings.append(ordered.map(\.key))
        bindings.append(ordered.map { Int64($0.value) })
        let add = PostgresQuery(unsafeSQL: """
            UPDATE issues SET view_count = issues.view_count + batch.views
            FROM (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS counted(id, views) ORDER BY id) AS batch
            WHERE issues.id = batch.id
            """, binds: bindings)
        try await database.query(add) { rows in _ = try await rows.rows() }
    }

    func list(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) async throws(RepositoryError) -> ListSlice<Issue> {
        // Two pooled statements at once: under READ COMMITTED a transaction would not
        // make them one snapshot anyway, only cost two more round trips.
        let (rows, total) = try await database.concurrently({ [database] () async throws(RepositoryError) in
            try await database.query(PostgresQuery(ListSQL.issuePage(filter, page, .postgres))) { rows in try await rows.rows().map(StoreRows.issue) }
        }, { () async throws(RepositoryError) -> ListTotal in
            if let count = ListSQL.issueCount(filter, .postgres) {
                return .bounded(counted: try await database.query(PostgresQuery(count)) { rows in try await rows.first()?.int("n") ?? 0 })
            }
            let counts = try await database.execute(PostgresPrepared.StatusCounts()) { rows in try rows.map(StoreRows.statusCount) }
            return ListSQL.issueTotal(statusCounts: counts, filter)
        })
        return ListSlice(rows: rows, size: page.size, total: total)
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.transaction { connection, logger in
            guard let current = try await connection.query("SELECT * FROM issues WHERE id = \(id) FOR UPDATE", logger: logger)
                .first().map(StoreRows.issue)
            else { throw RepositoryError.notFound(entity: "issue", id: id) }
            if let assignee = changes.newAssignee { try await Self.requireUser(assignee, field: "assigneeId", connection, logger) }
            let (updated, move) = try changes.applied(to: current)
            if let move {
                try await Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, connection, logger)
                for (status, adding) in ListSQL.counterOrder(move) {
                    try await Self.adjustCount(status, issueId: id, adding: adding, connection, logger)
                }
            }
            guard updated != current else { return current }
            let write = PostgresQuery(
                StoreSQL.Issues.update, updated.title, updated.description, updated.status.rawValue, updated.priority.rawValue, updated.assigneeId, now, id
            )
            guard let row = try await connection.query(write, logger: logger).first() else { throw RepositoryError.notFound(entity: "issue", id: id) }
            return try StoreRows.issue(row)
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        try await database.transaction { connection, logger in
            guard let deleted = try await connection.query(PostgresQuery(StoreSQL.Issues.delete, id), logger: logger).first() else {
                throw RepositoryError.notFound(entity: "issue", id: id)
            }
            try await Self.adjustCount(IssueStatus(rawValue: try deleted.string("status")) ?? .open, issueId: id, adding: false, connection, logger)
        }
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

    private static func adjustCount(
        _ status: IssueStatus, issueId: IssueID, adding: Bool, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query(PostgresQuery(adding ? ListSQL.countIssue : ListSQL.uncountIssue, status.rawValue, issueId), logger: logger)
    }

    static func requireUser(_ id: UserID, field: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard try await connection.query(PostgresQuery(StoreSQL.Users.exists, id), logger: logger).first() != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
