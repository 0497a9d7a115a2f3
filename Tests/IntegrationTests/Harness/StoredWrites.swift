import Foundation
import TriageTestSupport

/// What the store holds of a `WriteLoad`'s writes, read with sqlite3 or psql.
enum StoredWrites {
    static func sqlite(_ database: String, in directory: TemporaryDirectory) async throws -> WriteLedger.Stored {
        try await read { sql in try await DailyStatsIntegrationTests.query(database, sql, in: directory) }
    }

    /// Through `query`, which runs SQL with sqlite3 or psql and returns its `a|b` lines.
    static func read(_ query: (String) async throws -> String) async throws -> WriteLedger.Stored {
        let issues = try await query("SELECT title, id, status, view_count FROM issues WHERE description = 'load'")
        let comments = try await query("SELECT content FROM comments WHERE content LIKE '%-comment'")
        var stored = WriteLedger.Stored(issues: [:], comments: Set(comments.split(separator: "\n").map(String.init)))
        for line in issues.split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            guard fields.count == 4, let id = Int64(fields[1]), let views = Int64(fields[3]) else { continue }
            stored.issues[fields[0]] = (id, fields[2], views)
        }
        return stored
    }

    /// `PRAGMA integrity_check`'s answer: "ok" for a sound file.
    static func integrity(_ database: String, in directory: TemporaryDirectory) async throws -> String {
        try await DailyStatsIntegrationTests.query(database, "PRAGMA integrity_check", in: directory)
    }
}
