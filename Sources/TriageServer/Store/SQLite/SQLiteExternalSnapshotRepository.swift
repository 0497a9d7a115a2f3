import Foundation
import GRDB

struct SQLiteExternalSnapshotRepository: ExternalSnapshotRepository {
    let pool: DatabasePool

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? {
        try await SQLiteSupport.perform {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT body, fetched_at FROM external_snapshots WHERE url = ?", arguments: [url]).map { row in
                    (row["body"] as Data, row.date("fetched_at"))
                }
            }
        }
    }

    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        try await SQLiteSupport.perform {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO external_snapshots (url, body, fetched_at) VALUES (?, ?, ?)
                        ON CONFLICT(url) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at
                        """,
                    arguments: [url, body, StoreTime.milliseconds(at)]
                )
            }
        }
    }
}
