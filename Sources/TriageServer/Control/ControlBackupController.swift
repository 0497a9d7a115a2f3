import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import TriageControlAPI

/// `POST /v1/backup` (`triagectl backup PATH`): the daemon copies the database
/// next to itself and streams the copy to the CLI, which writes PATH as the
/// operator: the daemon's sandbox lets it write only its state directory.
struct ControlBackupController {
    let store: any Store
    let settings: SettingsHolder

    static let chunkBytes = 1 << 20
    // Valid header names, spelled once in TriageControlAPI.
    private static let tablesHeader = HTTPField.Name(BackupHeaders.tables)!
    private static let secondsHeader = HTTPField.Name(BackupHeaders.seconds)!
    private static let sourceHeader = HTTPField.Name(BackupHeaders.source)!

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.post(RouterPath(ControlPath.backup)) { _, context in
            // PostgreSQL refuses before it writes anything, whatever the path.
            let database = settings.current.database.sqlitePath
            let scratch = BackupScratch.path(besides: database ?? "")
            let copy: BackupCopy
            do throws(BackupError) {
                copy = try await store.backup(to: scratch)
            } catch .useExternalTool(let reason, let command) {
                throw HTTPProblem(.conflict, detail: "\(reason); back it up with pg_dump (below)", command: command)
            } catch {
                context.logger.error("backup failed", metadata: ["error": "\(error)"])
                throw HTTPProblem(.internalServerError, detail: "The backup failed: \(error)")
            }
            // Unlinked at once: the open descriptor keeps the copy readable until the stream
            // ends, and a client gone midway leaves no file behind (a crash during the copy
            // itself does: `BackupScratch.sweep` removes it at the next start).
            let handle: FileHandle
            do {
                handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch))
                unlink(scratch)
            } catch {
                unlink(scratch)
                throw HTTPProblem(.internalServerError, detail: "The backup was made but cannot be read back: \(error)")
            }
            context.logger.notice(
                "backup sent over the control socket: \(copy.bytes) bytes, \(copy.totalRows) rows",
                metadata: ["bytes": "\(copy.bytes)", "rows": "\(copy.totalRows)", "seconds": "\(copy.seconds)"]
            )
            var headers: HTTPFields = [.contentType: BackupHeaders.mediaType]
            headers[Self.tablesHeader] = copy.tables.map { "\($0.name)=\($0.rows)" }.joined(separator: ", ")
            headers[Self.secondsHeader] = String(format: "%.3f", copy.seconds)
            var live = stat()
            if let database, stat(database, &live) == 0 { headers[Self.sourceHeader] = "\(live.st_dev):\(live.st_ino)" }
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: Int(copy.bytes)) { writer in
                defer { try? handle.close() }
                while true {
                    let chunk = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: Self.chunkBytes) ?? Data() }
                    if chunk.isEmpty { break }
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
        }
    }
}
