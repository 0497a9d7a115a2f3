import Foundation

/// The database file this process opened, by device and inode. SQLite keeps
/// writing through its open descriptors after the path is unlinked or renamed
/// over: every write acknowledged after that goes into a file nobody will open
/// again, and is gone at the next start. Comparing the path with the open file
/// is how the daemon notices.
struct SQLiteFileIdentity: Sendable, Equatable {
    let path: String
    let device: UInt64
    let inode: UInt64

    /// The file at `path` now; nil when it cannot be examined.
    static func current(of path: String) -> SQLiteFileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return SQLiteFileIdentity(path: path, device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// Why `path` no longer leads to the file this process writes, or nil while it does.
    /// Costs a `stat` and an `access` (a few microseconds): cheap enough for every commit.
    func divergence() -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            if reason == ENOENT { return "the database file \(path) was deleted while Triage had it open" }
            return "the database file \(path) cannot be examined: \(String(cString: strerror(reason)))"
        }
        guard UInt64(status.st_dev) == device, UInt64(status.st_ino) == inode else {
            return "the database file \(path) was replaced by another file while Triage had it open"
        }
        // The next connection (a reader, a restart) opens it by path: it must still be readable and writable.
        guard access(path, R_OK | W_OK) == 0 else {
            return "the database file \(path) is no longer readable and writable: \(String(cString: strerror(errno)))"
        }
        return nil
    }
}
