import GRDB

/// How the SQLite repositories reach the file: reads on the calling thread, writes
/// through the group commit, GRDB's errors translated into `RepositoryError` here.
struct SQLiteDatabase: Sendable {
    private let readers: SQLiteReaders
    private let writer: SQLiteGroupCommit

    init(pool: DatabasePool, readers: SQLiteReaders, health: SQLiteWriteHealth, patience: Duration) {
        self.readers = readers
        writer = SQLiteGroupCommit(pool: pool, health: health, patience: patience)
    }

    /// Several statements on one snapshot, on the calling thread (one of the cooperative
    /// pool's, or an event loop's for `IssueImmediateResponder`). GRDB's async read hops
    /// to the connection's dispatch queue and back, two thread switches that cost more
    /// than our reads (index ranges of at most a thousand rows), and more than doubled
    /// the time of `GET /api/issues/{id}` (bench/lists.py). A read in WAL mode never
    /// waits for a writer, and `SQLiteReaders` never makes it wait for a connection:
    /// the thread is busy only for the read's own work.
    func read<Value>(_ body: (Database) throws -> Value) throws(RepositoryError) -> Value {
        do {
            return try readers.read(body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// `read` for one statement, which is its own snapshot: no transaction around it
    /// (BEGIN and COMMIT cost more than the lookup by key they would enclose).
    func readOneStatement<Value>(_ body: (Database) throws -> Value) throws(RepositoryError) -> Value {
        do {
            return try readers.readOneStatement(body)
        } catch {
            throw Self.translate(error)
        }
    }

    /// A write in a savepoint of the next transaction; returns once that transaction is committed.
    func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws(RepositoryError) -> Value {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.translate(error)
        }
    }

    private static func translate(_ error: any Error) -> RepositoryError {
        switch error {
        case let error as RepositoryError:
            return error
        case let error as DatabaseError:
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
                return .conflict("already exists")
            case .SQLITE_CONSTRAINT_FOREIGNKEY:
                return .invalidReference(field: "reference", id: 0)
            default:
                return .unavailable(error.message ?? "\(error.resultCode)")
            }
        default:
            return .unavailable("\(error)")
        }
    }
}
