import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
import TriageTestSupport
@testable import TriageServer

/// Every filter combination of the issue list, with either page form and
/// with the count beside it, is an index range read in the list's order on
/// both stores, planned with statistics from skewed data (`ANALYZE`): one
/// reporter owns 90 % of the issues, one assignee has 10 of 20,000, three in
/// four issues are unassigned, 60 % are closed. The statements are the ones
/// the stores run (`ListSQL`), with bound parameters, so a planner or index
/// regression fails here instead of at ten million rows.
@Suite(.timeLimit(.minutes(3))) struct ListPlanTests {
    static let issueCount = 20_000
    static let heavyReporter: UserID = 1
    static let rareAssignee: UserID = 2
    static let commonAssignee: UserID = 3

    /// Both dialects run this text as it is.
    static let seed = [
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 42)
        INSERT INTO users (username, password_hash, role, created_at) SELECT 'user' || i, 'h', 'MEMBER', 0 FROM n
        """,
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(issueCount))
        INSERT INTO issues (title, description, status, priority, reporter_id, assignee_id, created_at, updated_at)
        SELECT 'issue', '',
            CASE WHEN i % 10 < 6 THEN 'CLOSED' WHEN i % 10 < 8 THEN 'RESOLVED' WHEN i % 10 = 8 THEN 'IN_PROGRESS' ELSE 'OPEN' END,
            'MEDIUM',
            CASE WHEN i % 10 = 0 THEN 3 + i % 40 ELSE \(heavyReporter) END,
            CASE WHEN i % 2000 = 1 THEN \(rareAssignee) WHEN i % 4 = 0 THEN \(commonAssignee) + i % 4 ELSE NULL END,
            1700000000000 + i * 1000, 1700000000000 + i * 1000
        FROM n
        """,
        // Rows written around the repositories: count them the way migration 0003 does.
        "DELETE FROM issue_counts",
        "INSERT INTO issue_counts (status, shard, n) SELECT status, id % 16, COUNT(*) FROM issues GROUP BY status, id % 16",
    ]

    /// Every combination of: no status / a common / a rarer one; no assignee / the rare one / a
    /// common one; no reporter / the heavy one / one with no issues.
    static let filters: [IssueFilter] = [nil, IssueStatus.closed, .open].flatMap { status in
        [nil, rareAssignee, commonAssignee].flatMap { assignee in
            [nil, heavyReporter, 2].map { reporter in IssueFilter(status: status, assigneeId: assignee, reporterId: reporter) }
        }
    }

    /// The first page, a page a few in, and a cursor in the middle of the table.
    static let pages: [PageRequest<IssueListKey>] = [
        PageRequest(page: 0, size: 20),
        PageRequest(page: 7, size: 20),
        PageRequest(page: 3, size: 20, after: IssueListKey(createdAt: StoreTime.date(1_700_000_000_000 + 10_000 * 1000), id: 10_000)),
    ]

    @Test func sqlitePlansAreIndexRanges() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("plans.sqlite")
            let store = try SQLiteStore.open(path: path, busyTimeout: 60, logger: Logger(label: "test"))
            try await store.close()
            let database = try DatabaseQueue(path: path)
            try await database.write { db in
                for statement in Self.seed + ["ANALYZE"] { try db.execute(sql: statement) }
            }
            try await database.read { db in
                for filter in Self.filters {
                    for page in Self.pages {
                        let plan = try Self.sqlitePlan(db, ListSQL.issuePage(filter, page, .sqlite))
                        Self.expectIndexRange(plan, filter: filter, ordered: true, keyset: page.after != nil)
                    }
                    if let count = ListSQL.issueCount(filter, .sqlite) {
                        Self.expectIndexRange(try Self.sqlitePlan(db, count), filter: filter, ordered: false, keyset: false)
                    }
                }
            }
            try database.close()
            let reopened = try SQLiteStore.open(path: path, busyTimeout: 60, logger: Logger(label: "test"))
            try await scoped(reopened, cleanUp: { try? await $0.close() }) { try await Self.expectTotals($0) }
        }
    }

    @Test func postgresPlansAreIndexRanges() async throws {
        let location = try await TestPostgres.freshDatabase()
        let logger = Logger(label: "test")
        let store = try await PostgresStore.open(location, timeout: 60, instance: "test:plans", logger: logger)
        let connection = try await TestPostgres.connect(location, logger: logger)
        try await scoped(connection, cleanUp: { try? await $0.close() }) { connection in
            // As autovacuum leaves a table: statistics, and a visibility map that lets the
            // counts read their index alone (without it the planner prices them as heap reads).
            // The test server commits asynchronously, and VACUUM cannot mark rows visible to
            // all before their commit is on disk: commit the seed synchronously.
            for statement in ["SET synchronous_commit = on"] + Self.seed + ["VACUUM ANALYZE issues"] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            for filter in Self.filters {
                for page in Self.pages {
                    let plan = try await Self.postgresPlan(connection, ListSQL.issuePage(filter, page, .postgres), logger)
                    Self.expectIndexRange(plan, filter: filter, ordered: true, keyset: page.after != nil)
                }
                if let count = ListSQL.issueCount(filter, .postgres) {
                    let plan = try await Self.postgresPlan(connection, count, logger)
                    Self.expectIndexRange(plan, filter: filter, ordered: false, keyset: false)
                    // Forward, a scan with closed ranges stops only at its first column's upper bound
                    // (a combination matching nothing read a million entries at 5 M issues).
                    #expect(plan.scansBackward || plan.sorts, "the count scans its index backward\n\(plan)")
                }
            }
        }
        let pool = Task { try await store.service?.run() }
        try await scoped(pool, cleanUp: { pool in
            pool.cancel()
            _ = await pool.result
        }) { _ in try await Self.expectTotals(store) }
    }

    /// A plan in a dialect-neutral form: the access to `issues` and whether anything sorts or scans it whole.
    struct Plan: CustomStringConvertible {
        var text: String
        /// The columns the index range is bounded by (equality and the keyset bound).
        var indexBounds: String
        var usesIndex: Bool
        var sorts: Bool
        var scansTable: Bool
        /// The planner's estimate of the rows its index scan returns (PostgreSQL only).
        var scanEstimate = Int.max
        /// Every index scan runs backward (PostgreSQL only).
        var scansBackward = false

        var description: String { text }
    }

    static func sqlitePlan(_ db: Database, _ bound: BoundStatement) throws -> Plan {
        let lines = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + bound.sql, arguments: StatementArguments(bound.values))
            .map { row -> String in row["detail"] }
        let access = lines.first { $0.contains(" issues USING ") } ?? ""
        return Plan(
            text: lines.joined(separator: "\n"),
            // "SEARCH issues USING INDEX issues_status_newest (status=? AND created_at<?)"
            indexBounds: access.firstRange(of: "(").map { String(access[$0.lowerBound...]) } ?? "",
            usesIndex: access.contains("USING INDEX") || access.contains("USING COVERING INDEX"),
            sorts: lines.contains { $0.contains("TEMP B-TREE") },
            scansTable: lines.contains { $0 == "SCAN issues" }
        )
    }

    static func postgresPlan(_ connection: PostgresConnection, _ bound: BoundStatement, _ logger: Logger) async throws -> Plan {
        let query = PostgresQuery(bound)
        let explain = PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)
        var lines: [String] = []
        for try await line in try await connection.query(explain, logger: logger).decode(String.self) { lines.append(line) }
        let bounds = lines.filter { $0.contains("Index Cond:") }.joined(separator: " ")
        let scans = lines.filter { $0.contains("Index Scan") || $0.contains("Index Only Scan") }
        return Plan(
            text: lines.joined(separator: "\n"),
            indexBounds: bounds,
            usesIndex: !scans.isEmpty,
            sorts: lines.contains { $0.contains("Sort") },
            scansTable: lines.contains { $0.contains("Seq Scan") || $0.contains("Bitmap Heap Scan") },
            // "Index Scan using issues_reporter_newest on issues  (cost=0.29..8.31 rows=1 width=77)"
            scanEstimate: scans.compactMap { line in line.firstMatch(of: /rows=(\d+)/).flatMap { Int($0.output.1) } }.min() ?? Int.max,
            scansBackward: !scans.isEmpty && scans.allSatisfy { $0.contains("Backward") }
        )
    }

    /// Bounded: an index (no table scan), every filter an equality in the index range, the
    /// keyset bound in it too, and (for a page) rows already in the list's order. The one
    /// other bounded shape is PostgreSQL's for a value its statistics know to be rare: all
    /// of that value's rows (fewer than a page) from its own index, the other filters
    /// checked on them, then sorted. SQLite never needs it.
    static func expectIndexRange(_ plan: Plan, filter: IssueFilter, ordered: Bool, keyset: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let context = Comment(rawValue: "\(filter) keyset=\(keyset)\n\(plan)")
        #expect(plan.usesIndex && !plan.scansTable, context, sourceLocation: sourceLocation)
        if plan.sorts && plan.scanEstimate <= PageRequest<IssueListKey>.defaultSize + 1 && !plan.indexBounds.isEmpty { return }
        if ordered { #expect(!plan.sorts, context, sourceLocation: sourceLocation) }
        var bounded: [String] = []
        if filter.status != nil { bounded.append("status") }
        if filter.assigneeId != nil { bounded.append("assignee_id") }
        if filter.reporterId != nil { bounded.append("reporter_id") }
        if keyset { bounded.append("created_at") }
        for column in bounded {
            #expect(plan.indexBounds.contains(column), "\(column) bounds the index range; \(context)", sourceLocation: sourceLocation)
        }
    }

    /// The same data through the repository: exact totals from the counters and for small
    /// matches, "at least 1,000" for the heavy reporter, and the right rows in order.
    static func expectTotals(_ store: any Store) async throws {
        let all = try await store.issues.list(IssueFilter(), PageRequest())
        #expect(all.total == .exact(issueCount))
        #expect(all.items.map(\.id) == Array((issueCount - 19...issueCount).reversed()).map(Int64.init))
        #expect(try await store.issues.list(IssueFilter(status: .closed), PageRequest()).total == .exact(issueCount * 6 / 10))
        #expect(try await store.issues.list(IssueFilter(reporterId: heavyReporter), PageRequest()).total == ListTotal(count: 1_000, exact: false))
        let rare = try await store.issues.list(IssueFilter(assigneeId: rareAssignee), PageRequest())
        #expect(rare.total == .exact(10))
        #expect(rare.items.allSatisfy { $0.assigneeId == rareAssignee } && !rare.hasMore)
        #expect(try await store.issues.list(IssueFilter(status: .open, reporterId: 2), PageRequest()).total == .exact(0))
    }
}
