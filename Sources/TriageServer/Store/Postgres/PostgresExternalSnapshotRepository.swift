import Foundation
import PostgresNIO

struct PostgresExternalSnapshotRepository: ExternalSnapshotRepository {
    let database: PostgresDatabase

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? {
        let row = try await database.query(PostgresQuery(StoreSQL.ExternalSnapshots.byURL, url)) { rows in
            try await rows.first().map { row in Snapshot(body: try row.value("body"), fetchedAt: try row.date("fetched_at")) }
        }
        return row.map { ($0.body, $0.fetchedAt) }
    }

    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        try await database.query(PostgresQuery(StoreSQL.ExternalSnapshots.save, url, ByteBuffer(bytes: body), StoreTime.milliseconds(at))) { rows in
            _ = try await rows.collect()
        }
    }

    private struct Snapshot: Sendable {
        let body: Data
        let fetchedAt: Date
    }
}
