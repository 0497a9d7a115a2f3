import Foundation
import GRDB
import Logging
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageServer

/// The group commit on a real SQLite file: writes that wait share one transaction,
/// and each caller hears about its own write and about the commit, never about another's.
@Suite(.timeLimit(.minutes(2))) struct SQLiteGroupCommitTests {
    @Test func writesThatWaitShareOneCommit() async throws {
        try await withFile { pool, commits in
            let writer = Self.writer(on: pool, patience: .seconds(30))
            let values = try await behindABlockedWrite(writer, count: 10) { value in
                { db in
                    try db.execute(sql: "INSERT INTO t (x) VALUES (?)", arguments: [value])
                    return value
                }
            }
            #expect(try values.map { try $0.get() } == Array(0..<10))
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 11)
            // The blocked write alone, then the ten that waited together.
            #expect(commits.count == 2)
        }
    }

    @Test func aFailedWriteRollsBackOnlyItself() async throws {
        try await withFile { pool, commits in
            let writer = Self.writer(on: pool, patience: .seconds(30))
            let outcomes = try await behindABlockedWrite(writer, count: 10) { value in
                { db in
                    try db.execute(sql: "INSERT INTO t (x) VALUES (?)", arguments: [value])
                    if value.isMultiple(of: 2) { throw RepositoryError.notFound(entity: "issue", id: Int64(value)) }
                    return value
                }
            }
            for (value, outcome) in outcomes.enumerated() {
                if value.isMultiple(of: 2) {
                    #expect(throws: RepositoryError.notFound(entity: "issue", id: Int64(value))) { try outcome.get() }
                } else {
                    #expect(try outcome.get() == value)
                }
            }
            let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t WHERE x >= 0 ORDER BY x") }
            #expect(stored == [1, 3, 5, 7, 9])
            #expect(commits.count == 2)
        }
    }

    @Test func aFailedCommitFailsEveryWriteInIt() async throws {
        try await withFile { pool, _ in
            let writer = Self.writer(on: pool, patience: .seconds(30))
            // A deferred foreign key is checked at COMMIT: every write succeeds, the commit does not.
            let outcomes = try await behindABlockedWrite(writer, count: 5) { value in
                { db in
                    try db.execute(sql: "INSERT INTO child (parent) VALUES (?)", arguments: [value == 3 ? 999 : nil])
                    return value
                }
            }
            for outcome in outcomes {
                #expect(throws: DatabaseError.self) { try outcome.get() }
            }
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child") } == 0)
            // The writer goes on with the next transaction.
            #expect(try await writer.write { db in try db.execute(sql: "INSERT INTO child (parent) VALUES (NULL)") } == ())
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child") } == 1)
        }
    }

    @Test func aWriteThatRollsBackTheTransactionLeavesTheOthersUnwritten() async throws {
        try await withFile { pool, _ in
            let writer = Self.writer(on: pool, patience: .seconds(30))
            // RAISE(ROLLBACK) ends the whole transaction, as SQLITE_FULL or an I/O error can:
            // the writes after it must not run in a transaction of their own and be committed alone.
            let outcomes = try await behindABlockedWrite(writer, count: 6) { value in
                { db in
                    try db.execute(sql: value == 2 ? "INSERT INTO doomed (x) VALUES (?)" : "INSERT INTO t (x) VALUES (?)", arguments: [value])
                    return value
                }
            }
            for outcome in outcomes {
                #expect(throws: (any Error).self) { try outcome.get() }
            }
            let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t WHERE x >= 0") }
            #expect(stored == [])
            #expect(try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (100)") } == ())
        }
    }

    @Test func aWriteWaitsForAnotherConnectionsLockNoLongerThanItsPatience() async throws {
        try await withFile { pool, _ in
            let writer = Self.writer(on: pool, patience: .milliseconds(300))
            let operatorConnection = try await Self.holdingTheWriteLock(pool)
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (7)") }
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(250) && waited < .seconds(3), "waited \(waited)")
            try await operatorConnection.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            // Refused means unwritten, and the writer goes on once the lock is gone.
            try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (8)") }
            #expect(try await pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t") } == [8])
        }
    }

    /// Two writes waiting in one transaction behind another connection's lock: when the
    /// earlier one's time runs out, the later one is not failed with it. It waits its
    /// own time, and commits once the lock goes.
    @Test func aLaterWriteInTheSameTransactionWaitsItsOwnTime() async throws {
        try await withFile { pool, _ in
            let writer = Self.writer(on: pool, patience: .milliseconds(1500))
            let operatorConnection = try await Self.holdingTheWriteLock(pool)
            // The writer waits on the lock for this one; the two below queue behind it, together.
            let blocked = Task { try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (0)") } }
            try await Task.sleep(for: .milliseconds(200))
            let earlier = Task { try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (1)") } }
            try await Task.sleep(for: .milliseconds(1000))
            let later = Task { try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (2)") } }
            await #expect(throws: (any Error).self) { try await blocked.value }
            await #expect(throws: (any Error).self) { try await earlier.value }  // its 1.5 s ran out
            try await operatorConnection.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            try await later.value  // asked for a second later, it still had time when the lock went
            #expect(try await pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t") } == [2])
        }
    }

    @Test(arguments: ["deleted", "replaced"])
    func noWriteIsAcknowledgedIntoAFileThePathNoLongerNames(_ how: String) async throws {
        try await withFile { pool, _ in
            let writer = Self.writer(on: pool, patience: .seconds(30))
            try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (1)") }
            // What an operator's `rm` or a restore by `mv` does: the open descriptors keep the old inode.
            if how == "deleted" {
                try FileManager.default.removeItem(atPath: pool.path)
            } else {
                let copy = pool.path + ".restored"
                try FileManager.default.copyItem(atPath: pool.path, toPath: copy)
                #expect(rename(copy, pool.path) == 0)
            }
            await #expect {
                try await writer.write { db in try db.execute(sql: "INSERT INTO t (x) VALUES (2)") }
            } throws: { error in
                guard case RepositoryError.cannotWrite(.fileDiverged(let reason))? = error as? RepositoryError else { return false }
                return reason.contains(how == "deleted" ? "was deleted" : "was replaced")
            }
            // The refused write did not reach the old inode either (the writer's connection still has it open).
            #expect(try await pool.writeWithoutTransaction { db in try Int.fetchAll(db, sql: "SELECT x FROM t") } == [1])
        }
    }

    private static func writer(on pool: DatabasePool, patience: Duration) -> SQLiteGroupCommit {
        SQLiteGroupCommit(pool: pool, health: SQLiteWriteHealth(path: pool.path, logger: Logger(label: "test")), patience: patience)
    }

    /// Another connection in `BEGIN IMMEDIATE`, as an operator's sqlite3 would be; COMMIT on it releases the lock.
    private static func holdingTheWriteLock(_ pool: DatabasePool) async throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let connection = try DatabaseQueue(path: pool.path, configuration: configuration)
        try await connection.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        return connection
    }

    /// Holds the writer in a first write until `count` more writes wait behind it, then
    /// lets them through; returns each one's outcome in order.
    private func behindABlockedWrite<Value: Sendable>(
        _ writer: SQLiteGroupCommit, count: Int, _ write: @escaping @Sendable (Int) -> @Sendable (Database) throws -> Value
    ) async throws -> [Result<Value, any Error>] {
        let release = DispatchSemaphore(value: 0)
        let started = Mutex(false)
        let blocker = Task {
            try await writer.write { db in
                started.withLock { $0 = true }
                release.wait()
                try db.execute(sql: "INSERT INTO t (x) VALUES (-1)")
            }
        }
        let running = try await eventually { started.withLock { $0 } }
        let writes = (0..<count).map { value in
            Task { () -> Result<Value, any Error> in
                do {
                    return .success(try await writer.write(write(value)))
                } catch {
                    return .failure(error)
                }
            }
        }
        let queued = try await eventually { writer.waitingWrites == count }
        release.signal()
        #expect(running && queued)
        try await blocker.value
        var outcomes: [Result<Value, any Error>] = []
        for write in writes { outcomes.append(await write.value) }
        return outcomes
    }

    private func withFile(_ body: (DatabasePool, CommitCounter) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let pool = try DatabasePool(path: directory.file("group.sqlite"), configuration: configuration)
        try await pool.write { db in
            try db.execute(sql: """
                CREATE TABLE t (x INTEGER);
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                CREATE TABLE doomed (x INTEGER);
                CREATE TRIGGER doom AFTER INSERT ON doomed BEGIN SELECT RAISE(ROLLBACK, 'rolled back by a trigger'); END;
                """)
        }
        let commits = CommitCounter()
        pool.add(transactionObserver: commits, extent: .databaseLifetime)
        try await body(pool, commits)
        try pool.close()
    }
}

/// Counts the transactions the writer commits.
private final class CommitCounter: TransactionObserver, Sendable {
    private let commits = Mutex(0)

    var count: Int { commits.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
