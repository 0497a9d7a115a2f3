import Foundation
import GRDB
import Logging
import Synchronization
import Testing
import TriageTestSupport
@testable import TriageServer

/// The SQLite file's write state: a path that no longer names the opened file,
/// and a full disk that lasts until the filesystem has room again.
@Suite struct SQLiteWriteHealthTests {
    @Test func aFileThatIsStillTheOpenedOneHasNoProblem() throws {
        let (directory, path, health) = try Self.openedFile()
        defer { directory.remove() }
        #expect(health.current() == nil)
        #expect(throws: Never.self) { try health.checkBeforeWriting() }
    }

    @Test func aDeletedFileIsAProblemUntilThePathLeadsToItAgain() throws {
        let (directory, path, health) = try Self.openedFile()
        defer { directory.remove() }
        let aside = directory.file("aside")
        #expect(rename(path, aside) == 0)
        guard case .fileDiverged(let reason)? = health.current() else {
            Issue.record("a moved-away file was not noticed")
            return
        }
        #expect(reason == "the database file \(path) was deleted while Triage had it open")
        #expect(throws: RepositoryError.cannotWrite(.fileDiverged(reason))) { try health.checkBeforeWriting() }
        // Renamed back: the same inode, so the same file.
        #expect(rename(aside, path) == 0)
        #expect(health.current() == nil)
    }

    @Test func aFullDiskIsSetByTheWriteThatFailsAndClearedByOneThatCommits() throws {
        let (directory, path, health) = try Self.openedFile()
        defer { directory.remove() }
        health.record(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"))
        // The temporary directory's disk has room, so looking again releases the state at once; the
        // translation of the failed commit is what the writers were told meanwhile.
        #expect(health.translate(DatabaseError(resultCode: .SQLITE_FULL)) as? RepositoryError == .cannotWrite(.diskFull(path)))
        #expect(health.current() == nil)
        health.record(DatabaseError(resultCode: .SQLITE_FULL))
        health.record(nil)
        #expect(health.translate(DatabaseError(resultCode: .SQLITE_FULL)) is DatabaseError)
        // Other failures are not a state of the file.
        health.record(DatabaseError(resultCode: .SQLITE_BUSY))
        #expect(health.current() == nil)
    }

    /// On a disk at its last pages some writes still fit: they are acknowledged, but the
    /// state (and its one log line) holds until the filesystem has room again.
    @Test func aCommitThatFitsOnAnAlmostFullDiskDoesNotEndTheState() throws {
        let free = Mutex<UInt64?>(64 << 10)
        let (directory, path, health) = try Self.openedFile { _ in free.withLock { $0 } }
        defer { directory.remove() }
        health.record(DatabaseError(resultCode: .SQLITE_FULL))
        health.record(nil)
        #expect(health.current() == .diskFull(path))
        free.withLock { $0 = SQLiteWriteHealth.roomAfterFull }
        health.record(nil)
        #expect(health.current() == nil)
        // A filesystem that cannot say how full it is: the commit is the only evidence.
        free.withLock { $0 = nil }
        health.record(DatabaseError(resultCode: .SQLITE_FULL))
        #expect(health.current() == .diskFull(path))
        health.record(nil)
        #expect(health.current() == nil)
    }

    /// A file in a new directory, and its health as just opened.
    private static func openedFile(
        freeSpace: @escaping SQLiteWriteHealth.FreeSpace = SQLiteWriteHealth.statvfsFree
    ) throws -> (TemporaryDirectory, String, SQLiteWriteHealth) {
        let directory = try TemporaryDirectory()
        let path = directory.file("a.sqlite")
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        return (directory, path, SQLiteWriteHealth(path: path, logger: Logger(label: "test"), freeSpace: freeSpace))
    }
}
