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
    /// write confirms it (or finds the disk full again). Below it a write that
    /// happens to fit (a page freed by a checkpoint) does not end the state: on a
    /// disk at its last few pages the state would flap, logged at every turn.
    static let roomAfterFull: UInt64 = 1 << 20

    /// Bytes an unprivileged writer may still use on the filesystem holding a directory; nil if unknown.
    typealias FreeSpace = @Sendable (_ directory: String) -> UInt64?

    private let opened: SQLiteFileIdentity?
    private let directory: String
    private let logger: Logger
    private let freeSpace: FreeSpace
    private let problem = Mutex<StoreWriteProblem?>(nil)

    /// `path` as just opened: the file the writer's descriptors now hold.
    init(path: String, logger: Logger, freeSpace: @escaping FreeSpace = SQLiteWriteHealth.statvfsFree) {
        opened = SQLiteFileIdentity.current(of: path)
        let parent = (path as NSString).deletingLastPathComponent
        directory = parent.isEmpty ? "." : parent
        self.logger = logger
        self.freeSpace = freeSpace
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
            return hasRoom == true ? change(to: nil) : known
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

    /// After a transaction: SQLITE_FULL sets a full disk; a commit clears it unless
    /// the filesystem is known to be still short of `roomAfterFull`.
    func record(_ error: (any Error)?) {
        guard let error else {
            switch problem.withLock({ $0 }) {
            case .diskFull?: if hasRoom != false { _ = change(to: nil) }
            case .fileDiverged?: _ = change(to: nil)
            case nil: break
            }
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

    /// Whether the filesystem has `roomAfterFull` free; nil when it cannot be told.
    private var hasRoom: Bool? { freeSpace(directory).map { $0 >= Self.roomAfterFull } }

    static let statvfsFree: FreeSpace = { directory in
        var status = statvfs()
        guard statvfs(directory, &status) == 0 else { return nil }
        return UInt64(status.f_bavail) * UInt64(status.f_frsize)
    }
}
