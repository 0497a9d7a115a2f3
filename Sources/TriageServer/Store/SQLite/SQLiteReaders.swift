import GRDB
import Synchronization

/// Read-only connections to the SQLite file, each lent to one caller at a time.
///
/// Why not GRDB's `DatabasePool` readers: checking one out takes a lock built on a
/// concurrent dispatch queue with barrier blocks, twice per read, and under a load of
/// concurrent reads its waits put threads to sleep: a `GET /api/issues?size=1` switched
/// contexts 1.8 times per request against 0.6 for `/api/users/me` (`perf stat`; 1.45
/// after this change), and a single issue cost 157 µs of CPU against 100 µs after it
/// (bench/lists.py's workload). Here a read takes a connection from a list
/// under a `Mutex` (held for the pop and the push only) and runs on the calling
/// thread: a connection is never shared, so nothing waits but SQLite itself. The
/// list grows to the number of threads that read at once (reads do not suspend)
/// and stays there.
final class SQLiteReaders: Sendable {
    private let path: String
    private let configuration: Configuration
    private let idle = Mutex<[DatabaseQueue]>([])

    init(path: String, busyTimeout: Double) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "triage.reader"
        // GRDB stops the process when a call ends inside a transaction, unless allowed; a
        // reader left in one (its ROLLBACK failed) is instead dropped by `withConnection`.
        configuration.allowsUnsafeTransactions = true
        self.configuration = configuration
    }

    /// Several statements on one snapshot (a deferred read transaction). BEGIN and COMMIT
    /// are statements compiled once per connection: GRDB's `inTransaction` compiles both on
    /// every call, a twentieth of a list request's time (perf).
    func read<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try withConnection { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                let value = try body(db)
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return value
            } catch {
                // The caller gets the read's error. A read has nothing to undo, so a failed
                // ROLLBACK loses nothing; the connection it leaves in a transaction is dropped.
                if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
                throw error
            }
        }
    }

    /// One statement, its own snapshot: no transaction.
    func readOneStatement<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try withConnection(body)
    }

    func close() throws {
        let connections = idle.withLock { idle in
            defer { idle = [] }
            return idle
        }
        for connection in connections { try connection.close() }
    }

    /// A connection left inside a transaction would hold its old snapshot for every later
    /// read: it is not lent again (it closes when released).
    private func withConnection<Value>(_ body: (Database) throws -> Value) throws -> Value {
        let connection = try idle.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        var reusable = true
        defer {
            if reusable { idle.withLock { $0.append(connection) } }
        }
        return try connection.unsafeRead { db in
            defer { reusable = !db.isInsideTransaction }
            return try body(db)
        }
    }
}
