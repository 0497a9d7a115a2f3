import GRDB
import Synchronization

/// SQLite's one writer, shared by concurrent requests (group commit). A write that
/// arrives while a transaction is being written waits for the next transaction, and
/// that one carries every write that waited, each in its own savepoint. A commit
/// costs SQLite the same whether it carries one insert or thirty: the pages the
/// inserts share (each index's newest leaf, the counters) go to the WAL once.
///
/// What a caller is told is unchanged: its value only once the transaction that
/// holds its write is committed; its own error if its write failed (the savepoint
/// is rolled back, the others in the transaction are kept); the commit's error,
/// and nothing written, if the commit fails. Nothing waits on a timer: a write
/// that finds the writer idle starts a transaction at once.
///
/// No write waits longer than `patience` (`database.timeout`) from the moment it
/// is asked for: a transaction waits for SQLite's lock (another process's, an
/// operator's `sqlite3`) only as long as its most impatient write has left, and
/// a write whose time ran out while it queued is refused unwritten. Both are
/// answered 503, never acknowledged late. When the lock outlasts that share,
/// nothing was written yet: the writes with time left wait again at the head
/// of the queue, each until its own deadline.
final class SQLiteGroupCommit: Sendable {
    /// Bounds one transaction's length, so the writes that wait behind it wait
    /// for at most this many others.
    static let maximumWrites = 64

    private let pool: DatabasePool
    private let health: SQLiteWriteHealth
    private let patience: Duration
    private let queue = Mutex(Queue())

    private struct Queue {
        var waiting: [any GroupedWrite] = []
        var writing = false
    }

    init(pool: DatabasePool, health: SQLiteWriteHealth, patience: Duration) {
        self.pool = pool
        self.health = health
        self.patience = patience
    }

    /// Writes waiting for the next transaction.
    var waitingWrites: Int {
        queue.withLock { $0.waiting.count }
    }

    func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let startsWriter = queue.withLock { queue in
                queue.waiting.append(PendingWrite(body: body, continuation: continuation, deadline: .now + patience))
                defer { queue.writing = true }
                return !queue.writing
            }
            if startsWriter {
                // On GRDB's writer queue: a transaction's work never holds a thread of the cooperative pool.
                pool.asyncWriteWithoutTransaction { db in self.writeAll(db) }
            }
        }
    }

    private func writeAll(_ db: Database) {
        while let writes = nextTransaction() {
            commit(writes, db)
        }
    }

    private func nextTransaction() -> [any GroupedWrite]? {
        queue.withLock { queue in
            guard !queue.waiting.isEmpty else {
                queue.writing = false
                return nil
            }
            let writes = Array(queue.waiting.prefix(Self.maximumWrites))
            queue.waiting.removeFirst(writes.count)
            return writes
        }
    }

    private func commit(_ queued: [any GroupedWrite], _ db: Database) {
        let now = ContinuousClock.now
        var writes: [any GroupedWrite] = []
        for write in queued {
            if write.deadline <= now {
                write.finish(commitError: RepositoryError.unavailable("the write waited \(patience) (database.timeout) for the database's write lock"))
            } else {
                writes.append(write)
            }
        }
        guard let soonest = writes.map(\.deadline).min() else { return }
        do {
            // SQLite's busy handler waits for another connection's lock; this transaction's share is what its writes have left.
            let (seconds, attoseconds) = (soonest - now).components
            try db.execute(sql: "PRAGMA busy_timeout = \(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))")
        } catch {
            for write in writes { write.finish(commitError: error) }
            return
        }
        var began = false
        do {
            try db.inTransaction(.immediate) {
                began = true
                // An error such as SQLITE_FULL can roll back the whole transaction. The writes after
                // it then fail with SQLITE_ABORT (GRDB refuses statements in a transaction block
                // whose transaction is gone) instead of committing alone, and so does the commit.
                for write in writes { write.perform(db) }
                // A stat just before COMMIT (after the wait for the lock, which may have been long):
                // no write is acknowledged into a file the path no longer names. Throwing rolls back.
                try health.checkBeforeWriting()
                return .commit
            }
            health.record(nil)
            for write in writes { write.finish(commitError: nil) }
        } catch let error as DatabaseError where !began && error.resultCode == .SQLITE_BUSY {
            // BEGIN found the lock held past the most impatient write's deadline: the others go first next time.
            let now = ContinuousClock.now
            let waiting = writes.filter { $0.deadline > now }
            for write in writes where write.deadline <= now { write.finish(commitError: error) }
            queue.withLock { $0.waiting.insert(contentsOf: waiting, at: 0) }
        } catch {
            health.record(error)
            let error = health.translate(error)
            for write in writes { write.finish(commitError: error) }
        }
    }
}

private protocol GroupedWrite: Sendable {
    /// When the caller stops waiting: asked for at, plus the writer's patience.
    var deadline: ContinuousClock.Instant { get }
    /// Runs the write in a savepoint of the current transaction and keeps its outcome.
    func perform(_ db: Database)
    /// Tells the caller: its own outcome if the transaction committed, else the commit's error.
    func finish(commitError: (any Error)?)
}

private final class PendingWrite<Value: Sendable>: GroupedWrite {
    private let body: @Sendable (Database) throws -> Value
    private let continuation: CheckedContinuation<Value, any Error>
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    let deadline: ContinuousClock.Instant

    init(body: @escaping @Sendable (Database) throws -> Value, continuation: CheckedContinuation<Value, any Error>, deadline: ContinuousClock.Instant) {
        self.body = body
        self.continuation = continuation
        self.deadline = deadline
    }

    func perform(_ db: Database) {
        let result: Result<Value, any Error>
        do {
            var value: Value?
            try db.inSavepoint {
                value = try body(db)
                return .commit
            }
            result = value.map(Result.success) ?? .failure(GroupCommitError.notRun)
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
    }

    func finish(commitError: (any Error)?) {
        switch (outcome.withLock { $0 }, commitError) {
        case (.failure(let error)?, _):
            continuation.resume(throwing: error)
        case (.success(let value)?, nil):
            continuation.resume(returning: value)
        case (.success?, let error?), (nil, let error?):
            continuation.resume(throwing: error)
        case (nil, nil):
            continuation.resume(throwing: GroupCommitError.notRun)
        }
    }
}

/// A write left out of a transaction that SQLite rolled back under it.
enum GroupCommitError: Error, CustomStringConvertible {
    case notRun

    var description: String { "the transaction was rolled back before this write ran" }
}
