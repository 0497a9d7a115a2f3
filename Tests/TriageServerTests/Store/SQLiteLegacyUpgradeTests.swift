import Foundation
import GRDB
import Logging
import Testing
import TriageTestSupport
@testable import TriageServer

/// `Tests/Fixtures/triage-0.1.0.sqlite` was made by the released 0.1.0 daemon
/// (three users, three issues with comments, status changes and views, seven
/// aggregated days, three batch runs, an upstream snapshot). Opening it with
/// this build converts it in place to the shared snake_case schema.
@Suite(.timeLimit(.minutes(2))) struct SQLiteLegacyUpgradeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/triage-0.1.0.sqlite").path

    /// A copy of the 0.1.0 file in a directory of its own.
    private func legacyCopy(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("triage.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)
        return path
    }

    /// Every row of every table, values in column order (names are what the upgrade changes).
    private func rows(_ path: String) throws -> [String: [[String]]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var contents: [String: [[String]]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('grdb_migrations', 'triage_migrations')") {
                contents[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid").map { row in
                    row.databaseValues.map(\.description)
                }
            }
            return contents
        }
    }

    /// Tables, their columns (name, type, not null, default, key), indexes and foreign keys: what a schema is, whatever its text.
    private func schema(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var facts: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
                for column in try Row.fetchAll(db, sql: "PRAGMA table_info(\"\(table)\")") {
                    facts.append("\(table).\(column["name"] as String) \(column["type"] as String) notnull=\(column["notnull"] as Int) default=\(column["dflt_value"] as String? ?? "-") pk=\(column["pk"] as Int)")
                }
                for key in try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\"\(table)\")") {
                    facts.append("\(table) fk \(key["from"] as String) -> \(key["table"] as String).\(key["to"] as String) on delete \(key["on_delete"] as String)")
                }
                for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\"\(table)\")") {
                    let name: String = index["name"]
                    let columns = try Row.fetchAll(db, sql: "PRAGMA index_info(\"\(name)\")").map { $0["name"] as String? ?? "?" }
                    let label = name.hasPrefix("sqlite_autoindex") ? "auto" : name
                    facts.append("\(table) index \(label) unique=\(index["unique"] as Int) (\(columns.joined(separator: ", ")))")
                }
            }
            facts.append(contentsOf: try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%' ORDER BY name").map { sql in
                // The CHECK constraints, as SQLite keeps them after renaming.
                sql.matches(of: /CHECK \(([^()]|\([^()]*\))*\)/).map { String($0.0) }.joined(separator: " ")
            })
            return facts.sorted()
        }
    }

    @Test func aFileFromRelease010IsUpgradedInPlaceKeepingEveryRow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try legacyCopy(directory)
        let before = try rows(path)
        #expect(before["issues"]?.count == 3 && before["daily_stats"]?.count == 7 && before["external_snapshots"]?.count == 1)

        let store = try SQLiteStore.open(path: path, busyTimeout: 5, logger: Logger(label: "test"))
        #expect(try await store.schemaVersion() == SchemaMigrations.all.last?.id)
        // What the daemon reads through the new names is what 0.1.0 wrote.
        let member = try #require(try await store.users.credentials(username: "member"))
        #expect(member.user.role == .member && member.passwordHash.hasPrefix("$2"))
        let issue = try #require(try await store.issues.find(id: 1))
        #expect(issue.status == .resolved && issue.commentCount == 2 && issue.viewCount == 2 && issue.assigneeId == 3)
        #expect(try await store.issues.statusEvents(issueId: 1).map(\.to) == [.open, .inProgress, .resolved])
        #expect(try await store.stats.runs(job: DailyStatsBatch.job, limit: 10).count == 3)
        #expect(try await store.externalSnapshots.snapshot(url: "http://127.0.0.1:18089/posts/1") != nil)
        // Migration 0003 counted the issues 0.1.0 left, per status.
        for (status, count) in [(nil, 3), (IssueStatus.open, 1), (.resolved, 1), (.closed, 1), (.inProgress, 0)] {
            #expect(try await store.issues.list(IssueFilter(status: status), PageRequest()).total == .exact(count))
        }
        _ = try await store.issues.create(NewIssue(title: "after", description: "", priority: .low, reporterId: 3, assigneeId: 1), at: Date())
        try await store.close()

        var after = try rows(path)
        after["issues"]?.removeLast()
        after["issue_status_events"]?.removeLast()
        after["issue_counts"] = nil
        // Migration 0004 gave every user two account columns, empty: enabled, no reset.
        #expect(after["users"]?.allSatisfy { $0.suffix(2) == ["NULL", "NULL"] } == true, "\(after["users"] ?? [])")
        after["users"] = after["users"]?.map { Array($0.dropLast(2)) }
        #expect(after == before, "every row of 0.1.0 is still there, value for value")

        let fresh = directory.file("fresh.sqlite")
        try await SQLiteStore.open(path: fresh, busyTimeout: 5, logger: Logger(label: "test")).close()
        #expect(try schema(path) == schema(fresh), "the upgraded file has exactly the schema a new file gets")
        let queue = try DatabaseQueue(path: path)
        #expect(try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try await queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM triage_migrations ORDER BY id") } == SchemaMigrations.all.map(\.id))
        try queue.close()

        // Opening it again finds nothing to do.
        try await SQLiteStore.open(path: path, busyTimeout: 5, logger: Logger(label: "test")).close()
    }

    @Test func aDevelopmentFileWithPartOfTheHistoryIsRefusedAndLeftAsItWas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try legacyCopy(directory)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '0005-external-snapshot'") }
        try queue.close()
        let before = try schema(path)
        #expect {
            _ = try SQLiteStore.open(path: path, busyTimeout: 5, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? StoreError, case .migrationFailed(_, let reason) = error else { return false }
            return reason.contains("only a file made by Triage 0.1.0")
        }
        #expect(try schema(path) == before, "the refused file is untouched")
    }
}
