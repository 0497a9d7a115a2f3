import Foundation
import GRDB

struct SQLiteIssueRepository: IssueRepository, ImmediateIssueReads {
    let database: SQLiteDatabase

    func create(_ new: NewIssue, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.write { db in
            if let assignee = new.assigneeId { try Self.requireUser(assignee, field: "assigneeId", db) }
            guard let row = try Row.fetchOne(
                db.statement(StoreSQL.Issues.insert),
                arguments: [new.title, new.description, new.priority.rawValue, new.reporterId, new.assigneeId, now]
            ) else { throw RepositoryError.unavailable("insert returned nothing") }
            let issue = try StoreRows.issue(row)
            try Self.recordEvent(issueId: issue.id, from: nil, to: .open, at: now, actorId: new.reporterId, db)
            try Self.adjustCount(.open, issueId: issue.id, adding: true, db)
            return issue
        }
    }

    func find(id: IssueID) async throws(RepositoryError) -> Issue? {
        try findNow(id: id)
    }

    func findNow(id: IssueID) throws(RepositoryError) -> Issue? {
        try database.readOneStatement { db in
            try db.statement(StoreSQL.Issues.byID).mapFirstRow([id], StoreRows.issue)
        }
    }

    func addViews(_ views: [IssueID: Int]) async throws(RepositoryError) {
        try await database.write { db in
            let statement = try db.statement(StoreSQL.Issues.addViews)
            for (id, count) in views { try statement.execute(arguments: [count, id]) }
        }
    }

    func list(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) async throws(RepositoryError) -> ListSlice<Issue> {
        try listNow(filter, page)
    }

    func listNow(_ filter: IssueFilter, _ page: PageRequest<IssueListKey>) throws(RepositoryError) -> ListSlice<Issue> {
        try database.read { db in
            let rows = try db.mapRows(ListSQL.issuePage(filter, page, .sqlite), StoreRows.issue)
            let total: ListTotal
            if let count = ListSQL.issueCount(filter, .sqlite) {
                total = .bounded(counted: try db.mapRows(count) { try $0.int("n") }.first ?? 0)
            } else {
                total = ListSQL.issueTotal(statusCounts: try db.statement(ListSQL.statusCounts).mapRows([], StoreRows.statusCount), filter)
            }
            return ListSlice(rows: rows, size: page.size, total: total)
        }
    }

    func update(id: IssueID, _ changes: IssueChanges, actorId: UserID, at: Date) async throws(RepositoryError) -> Issue {
        let now = StoreTime.milliseconds(at)
        return try await database.write { db in
            guard let current = try db.statement(StoreSQL.Issues.byID).mapFirstRow([id], StoreRows.issue) else {
                throw RepositoryError.notFound(entity: "issue", id: id)
            }
            if let assignee = changes.newAssignee { try Self.requireUser(assignee, field: "assigneeId", db) }
            let (updated, move) = try changes.applied(to: current)
            if let move {
                try Self.recordEvent(issueId: id, from: move.from, to: move.to, at: now, actorId: actorId, db)
                for (status, adding) in ListSQL.counterOrder(move) { try Self.adjustCount(status, issueId: id, adding: adding, db) }
            }
            guard updated != current else { return current }
            guard let row = try Row.fetchOne(
                db.statement(StoreSQL.Issues.update),
                arguments: [updated.title, updated.description, updated.status.rawValue, updated.priority.rawValue, updated.assigneeId, now, id]
            ) else { throw RepositoryError.notFound(entity: "issue", id: id) }
            return try StoreRows.issue(row)
        }
    }

    func delete(id: IssueID) async throws(RepositoryError) {
        try await database.write { db in
            guard let deleted = try Row.fetchOne(db.statement(StoreSQL.Issues.delete), arguments: [id]) else {
                throw RepositoryError.notFound(entity: "issue", id: id)
            }
            try Self.adjustCount(IssueStatus(rawValue: try deleted.string("status")) ?? .open, issueId: id, adding: false, db)
        }
    }

    func popular(since: Date, limit: Int) async throws(RepositoryError) -> [Issue] {
        try database.readOneStatement { db in
            try db.statement(StoreSQL.Issues.popular).mapRows([StoreTime.milliseconds(since), limit], StoreRows.issue)
        }
    }

    func statusEvents(issueId: IssueID) async throws(RepositoryError) -> [IssueStatusEvent] {
        try database.readOneStatement { db in
            try Row.fetchAll(db.statement(StoreSQL.Issues.statusEvents), arguments: [issueId]).map(StoreRows.statusEvent)
        }
    }

    private static func recordEvent(issueId: IssueID, from: IssueStatus?, to: IssueStatus, at: Int64, actorId: UserID, _ db: Database) throws {
        try db.statement(StoreSQL.Issues.insertStatusEvent).execute(arguments: [issueId, from?.rawValue, to.rawValue, at, actorId])
    }

    private static func adjustCount(_ status: IssueStatus, issueId: IssueID, adding: Bool, _ db: Database) throws {
        try db.statement(adding ? ListSQL.countIssue : ListSQL.uncountIssue).execute(arguments: [status.rawValue, issueId])
    }

    static func requireUser(_ id: UserID, field: String, _ db: Database) throws {
        guard try Row.fetchOne(db.statement(StoreSQL.Users.exists), arguments: [id]) != nil else {
            throw RepositoryError.invalidReference(field: field, id: id)
        }
    }
}
