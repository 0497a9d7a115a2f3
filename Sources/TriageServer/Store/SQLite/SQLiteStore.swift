import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// The embedded store: one SQLite file in WAL mode through GRDB's
/// `DatabasePool` (one writer, shared by group commit) and read-only
/// connections lent to one reader at a time (`SQLiteReaders`).
public final class SQLiteStore: Store {
    public let kind = "sqlite"
    public let location: String
    public let isLocal = true
    public let service: (any Service)? = nil
    public let users: any UserRepository
    public let issues: any IssueRepository
    public let comments: any CommentRepository
    public let stats: any StatsRepository
    public let externalSnapshots: any ExternalSnapshotRepository
    /// Internal for the tests, which read the writer's pragmas.
    let pool: DatabasePool
    private let readers: SQLiteReaders
    private let health: SQLiteWriteHealth

    /// Opens (creating it and its directory if needed) and migrates the database.
    /// `busyTimeout` bounds how long a writer waits for the lock.
    public static func open(
        path: String, busyTimeout: Double, synchronous: SQLiteSynchronous = .normal, logger: Logger
    ) throws(StoreError) -> SQLiteStore {
        let location = "sqlite://\(path)"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(location: location, reason: "cannot create \(directory): \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "triage"
        configuration.foreignKeysEnabled = true
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens WAL databases with NORMAL; only the one writer connection commits.
            if synchronous == .full { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
        } catch {
            throw .cannotOpen(location: location, reason: "\(error)")
        }
        // Readers connect at their first read, after the migrations.
        let store = SQLiteStore(
            location: location, pool: pool, readers: SQLiteReaders(path: path, busyTimeout: busyTimeout),
            health: SQLiteWriteHealth(path: path, logger: logger), patience: .milliseconds(Int64(busyTimeout * 1000))
        )
        try store.migrate(logger: logger)
        return store
    }

    private init(location: String, pool: DatabasePool, readers: SQLiteReaders, health: SQLiteWriteHealth, patience: Duration) {
        self.location = location
        self.pool = pool
        self.readers = readers
        self.health = health
        let database = SQLiteDatabase(pool: pool, readers: readers, health: health, patience: patience)
        users = SQLiteUserRepository(database: database)
        issues = SQLiteIssueRepository(database: database)
        comments = SQLiteCommentRepository(database: database)
        stats = SQLiteStatsRepository(database: database)
        externalSnapshots = SQLiteExternalSnapshotRepository(database: database)
    }

    private func migrate(logger: Logger) throws(StoreError) {
        do {
            let applied = try SQLiteMigrator.migrate(pool, location: location)
            if !applied.isEmpty {
                logger.notice("database \(location) migrated: applied \(applied.joined(separator: ", "))", metadata: ["store": "\(location)", "applied": "\(applied.joined(separator: ","))"])
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CANTOPEN {
            throw .cannotOpen(location: location, reason: "\(error)")
        } catch {
            throw .migrationFailed(location: location, reason: "\(error)")
        }
    }

    /// Fails, too, once the path no longer leads to the open file: only a restart
    /// (the watchdog's) opens the path again.
    public func ping() async throws {
        if case .fileDiverged(let reason)? = health.current() { throw RepositoryError.cannotWrite(.fileDiverged(reason)) }
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func writeProblem() -> StoreWriteProblem? {
        health.current()
    }

    public func schemaVersion() async throws -> String {
        try await pool.read { db in try SQLiteMigrator.version(db) }
    }

    public func close() async throws {
        try readers.close()
        try pool.close()
    }

    /// SQLite's online backup API (through GRDB) in one step, inside one read transaction:
    /// a snapshot as of its start. In WAL mode writers go on meanwhile (the WAL grows until it
    /// ends); run on a thread of its own, since it copies the whole file.
    public func backup(to path: String) async throws(BackupError) -> BackupCopy {
        let pool = self.pool
        do {
            return try await onThreadOfItsOwn { try SQLiteBackup.copy(pool, to: path) }
        } catch let error as BackupError {
            throw error
        } catch {
            throw .failed("copying the database to \(path) failed: \(error)")
        }
    }
}
