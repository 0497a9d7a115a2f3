import Foundation
import GRDB

struct SQLiteExternalSnapshotRepository: ExternalSnapshotRepository {
    let pool: DatabasePool

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT body, fetchedAt FROM external_snapshots WHERE url = ?", arguments: [url]).map { row in
                    (row["body"] as Data, row.date("fetchedAt"))
                }
            }
        }
    }

    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO external_snapshots (url, body, fetchedAt) VALUES (?, ?, ?)
                        ON CONFLICT(url) DO UPDATE SET body = excluded.body, fetchedAt = excluded.fetchedAt
                        """,
                    arguments: [url, body, StoreTime.milliseconds(at)]
                )
            }
        }
    }
}
