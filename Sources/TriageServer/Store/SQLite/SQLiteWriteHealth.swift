import Foundation
import GRDB
import Logging
import Synchronization

/// Whether the SQLite file can take writes, kept by the one writer
/// (`SQLiteGroupCommit`) and read by readiness, `STATUS=` and the watchdog.
/// A problem is logged once when it begins and once when it ends, however
/// many requests it refuses meanwhile.
final class SQLiteWriteHealth: Sendable {
    /// Free space at which a full disk counts as having room again; the next
    /// write confirms it (or finds the disk full again).
    static let roomAfterFull: UInt64 = 1 << 20

    private let opened: SQLiteFileIdentity?
    private let directory: String
    private let logger: Logger
    private let problem = Mutex<StoreWriteProblem?>(nil)

    /// `path` as just opened: the file the writer's descriptors now hold.
    init(path: String, logger: Logger) {
        opened = SQLiteFileIdentity.current(of: path)
        let parent = (path as NSString).deletingLastPathComponent
        directory = parent.isEmpty ? "." : parent
        self.logger = logger
    }

    /// The problem now, re-examined: the file compared with the opened one, and
    /// a full disk released once the filesystem has room.
    func current() -> StoreWriteProblem? {
        if let opened, let reason = opened.divergence() {
            return change(to: .fileDiverged(reason))
        }
        let known = problem.withLock { $0 }
        switch known {
        case .diskFull?:
            return freeBytes().map { $0 >= Self.roomAfterFull } == true ? change(to: nil) : known
        case .fileDiverged?:
            // The path leads to the opened file again (renamed back, permissions restored).
            return change(to: nil)
        case nil:
            return nil
        }
    }

    /// Before a transaction: refuses it while the file is not the one opened. A full
    /// disk does not refuse: the write itself finds out whether there is room now.
    func checkBeforeWriting() throws(RepositoryError) {
        guard let opened, let reason = opened.divergence() else { return }
        throw .cannotWrite(change(to: .fileDiverged(reason)) ?? .fileDiverged(reason))
    }

    /// After a transaction: a commit clears a full disk; SQLITE_FULL sets it.
    func record(_ error: (any Error)?) {
        guard let error else {
            if problem.withLock({ $0 }) != nil { _ = change(to: nil) }
            return
        }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            _ = change(to: .diskFull(opened?.path ?? directory))
        }
    }

    /// The error a writer should see for a failed transaction: the state it put the store in, if any.
    func translate(_ error: any Error) -> any Error {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL, let problem = problem.withLock({ $0 }) {
            return RepositoryError.cannotWrite(problem)
        }
        return error
    }

    private func change(to next: StoreWriteProblem?) -> StoreWriteProblem? {
        let previous = problem.withLock { problem in
            defer { problem = next }
            return problem
        }
        guard previous != next else { return next }
        if let next {
            logger.error("the database cannot take writes; they are answered 503 until this is resolved", metadata: [
                "problem": "\(next)",
            ])
        } else if let previous {
            logger.notice("the database takes writes again", metadata: ["was": "\(previous)"])
        }
        return next
    }

    private func freeBytes() -> UInt64? {
        var status = statvfs()
        guard statvfs(directory, &status) == 0 else { return nil }
        return UInt64(status.f_bavail) * UInt64(status.f_frsize)
    }
}
