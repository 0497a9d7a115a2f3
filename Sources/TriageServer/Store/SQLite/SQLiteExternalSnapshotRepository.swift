import Foundation
import GRDB

struct SQLiteExternalSnapshotRepository: ExternalSnapshotRepository {
    let database: SQLiteDatabase

    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)? {
        try database.read { db in
            try Row.fetchOne(db.statement(StoreSQL.ExternalSnapshots.byURL), arguments: [url]).map { row in
                (try row.decode(Data.self, forColumn: "body"), try row.date("fetched_at"))
            }
        }
    }

    func save(url: String, body: Data, at: Date) async throws(RepositoryError) {
        try await database.write { db in
            try db.statement(StoreSQL.ExternalSnapshots.save).execute(arguments: [url, body, StoreTime.milliseconds(at)])
        }
    }
}
