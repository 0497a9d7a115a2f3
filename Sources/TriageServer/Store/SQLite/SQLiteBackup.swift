import Foundation
import GRDB

/// The copy itself, on a thread that may block.
enum SQLiteBackup {
    static func copy(_ pool: DatabasePool, to path: String) throws -> BackupCopy {
        let started = ContinuousClock.now
        // Mode 0600 from the first byte, whatever the umask: the copy holds every password hash.
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw BackupError.failed("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            let tables = try destination.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .map { name in
                        BackupCopy.Table(name: name, rows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(name)\"") ?? 0)
                    }
            }
            try destination.close()
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            return BackupCopy(bytes: size?.int64Value ?? 0, tables: tables, seconds: started.duration(to: .now).inSeconds)
        } catch {
            unlink(path)
            throw error
        }
    }
}
