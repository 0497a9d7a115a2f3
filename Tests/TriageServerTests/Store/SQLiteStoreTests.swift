import GRDB
import Logging
import Testing
import TriageTestSupport
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct SQLiteStoreTests {
    @Test func opensCreatesDirectoriesAndMigrates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore.open(path: directory.file("nested/triage.sqlite"), busyTimeout: 1, logger: Logger(label: "test"))
        try await store.ping()
        #expect(try await store.schemaVersion() == SchemaMigrations.all.last?.id)
        try await store.close()
        // Opening again applies nothing new and keeps working.
        let reopened = try SQLiteStore.open(path: directory.file("nested/triage.sqlite"), busyTimeout: 1, logger: Logger(label: "test"))
        try await reopened.ping()
        try await reopened.close()
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("triage.sqlite")
        let store = try SQLiteStore.open(path: path, busyTimeout: 1, logger: Logger(label: "test"))
        _ = store
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO triage_migrations (id, applied_at) VALUES ('9999-from-the-future', 0)") }
        try queue.close()
        #expect {
            _ = try SQLiteStore.open(path: path, busyTimeout: 1, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? StoreError, case .newerSchema(_, let unknown) = error else { return false }
            return unknown == ["9999-from-the-future"] && error.isConfigurationProblem
        }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("garbage.sqlite", String(repeating: "not sqlite ", count: 200))
        #expect {
            _ = try SQLiteStore.open(path: path, busyTimeout: 1, logger: Logger(label: "test"))
        } throws: { error in
            (error as? StoreError)?.isConfigurationProblem == true
        }
    }

    @Test(arguments: [(SQLiteSynchronous.normal, 1), (.full, 2)])
    func theWriterCommitsWithTheConfiguredSynchronousMode(_ mode: SQLiteSynchronous, _ pragma: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore.open(path: directory.file("s.sqlite"), busyTimeout: 1, synchronous: mode, logger: Logger(label: "test"))
        #expect(try await store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == pragma)
        #expect(try await store.pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        try await store.close()
    }
}
