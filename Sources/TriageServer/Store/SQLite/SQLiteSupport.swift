import Foundation
import GRDB

/// Error mapping shared by the SQLite repositories.
enum SQLiteSupport {
    /// Runs a database call and translates GRDB's errors into `RepositoryError`.
    static func perform<Value: Sendable>(
        _ body: () async throws -> Value
    ) async throws(RepositoryError) -> Value {
        do {
            return try await body()
        } catch let error as RepositoryError {
            throw error
        } catch let error as DatabaseError {
            throw map(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// A read on the calling thread, one of the cooperative pool's. GRDB's async read
    /// hops to the connection's dispatch queue and back, two thread switches that cost
    /// more than our reads (index ranges of at most a thousand rows), and more than
    /// doubled the time of `GET /api/issues/{id}` (bench/lists.py). A read in WAL mode
    /// never waits for a writer, and the pool has more reader connections than the
    /// cooperative pool has threads (`SQLiteStore.open`), so none waits for a connection either: the thread
    /// is busy only for the read's own work. Writes keep the async path: they wait
    /// for SQLite's single writer.
    static func read<Value>(_ pool: DatabasePool, _ body: (Database) throws -> Value) throws -> Value {
        try pool.read(body)
    }

    static func map(_ error: DatabaseError) -> RepositoryError {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return .conflict("already exists")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return .invalidReference(field: "reference", id: 0)
        default:
            return .unavailable(error.message ?? "\(error.resultCode)")
        }
    }
}
