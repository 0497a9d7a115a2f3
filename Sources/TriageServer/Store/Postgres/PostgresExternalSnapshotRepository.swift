import Foundation
import PostgresNIO

struct PostgresExternalSnapshotRepository: ExternalSnapshotRepository {
    let database: PostgresDatabase

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? {
        let row = try await database.query("SELECT body, fetched_at FROM external_snapshots WHERE url = \(url)") { rows in
            try await rows.first().map { row in Snapshot(body: try row.value("body"), fetchedAt: try row.date("fetched_at")) }
        }
        return row.map { ($0.body, $0.fetchedAt) }
    }

    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        try await database.query(
            """
            INSERT INTO external_snapshots (url, body, fetched_at) VALUES (\(url), \(ByteBuffer(bytes: body)), \(StoreTime.milliseconds(at)))
            ON CONFLICT (url) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at
            """
        ) { rows in _ = try await rows.collect() }
    }

    private struct Snapshot: Sendable {
        let body: Data
        let fetchedAt: Date
    }
}
