import Foundation

/// Where `POST /v1/backup` makes its copy before streaming it: beside the database,
/// the one directory the daemon may write. A copy holds every password hash, so
/// what a crash mid-copy leaves is removed at the next start.
enum BackupScratch {
    static let prefix = ".triage-backup-"

    static func path(besides database: String) -> String {
        directory(of: database) + "/" + prefix + UUID().uuidString + ".sqlite"
    }

    /// Removes leftover copies (and their journals); called at start, when no backup can be going.
    static func sweep(besides database: String) {
        let directory = directory(of: database)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            unlink(directory + "/" + name)
        }
    }

    private static func directory(of database: String) -> String {
        guard let slash = database.lastIndex(of: "/") else { return "." }
        return slash == database.startIndex ? "/" : String(database[..<slash])
    }
}
