import Foundation
import TriageTestSupport

/// What a SQLite file holds of a `WriteLoad`'s writes, read with the sqlite3 tool.
enum StoredWrites {
    static func sqlite(_ database: String, in directory: TemporaryDirectory) async throws -> WriteLedger.Stored {
        let issues = try await DailyStatsIntegrationTests.query(
            database, "SELECT title, id, status, view_count FROM issues WHERE description = 'load'", in: directory
        )
        let comments = try await DailyStatsIntegrationTests.query(
            database, "SELECT content FROM comments WHERE content LIKE '%-comment'", in: directory
        )
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
