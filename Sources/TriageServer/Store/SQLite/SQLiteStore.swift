import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// The embedded store: one SQLite file in WAL mode through GRDB's
/// `DatabasePool` (one writer, shared by group commit; concurrent readers).
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
    private let pool: DatabasePool

    /// Opens (creating it and its directory if needed) and migrates the database.
    /// `busyTimeout` bounds how long a writer waits for the lock.
    public static func open(path: String, busyTimeout: Double, logger: Logger) throws(StoreError) -> SQLiteStore {
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
        // Reads run on the cooperative pool's threads (SQLiteDatabase.read): more readers than
        // threads, so none of them waits for a connection.
        configuration.maximumReaderCount = max(5, ProcessInfo.processInfo.activeProcessorCount + 1)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(location: location, reason: "\(error)")
        }
        let store = SQLiteStore(location: location, pool: pool)
        try store.migrate(logger: logger)
        return store
    }

    private init(location: String, pool: DatabasePool) {
        self.location = location
        self.pool = pool
        let database = SQLiteDatabase(pool: pool)
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

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func schemaVersion() async throws -> String {
        try await pool.read { db in try SQLiteMigrator.version(db) }
    }

    public func close() async throws {
        try pool.close()
    }
}
