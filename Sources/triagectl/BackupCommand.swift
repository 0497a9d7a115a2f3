import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import TriageControlAPI

/// `triagectl backup PATH`: a consistent copy of the SQLite database, made by the
/// daemon while it serves and written here, as the operator, to PATH.
struct BackupCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to PATH while triaged keeps serving.",
        discussion: """
            The copy is written to a temporary file beside PATH (mode 0600), checked, and renamed over PATH. \
            With PostgreSQL this exits 1 and prints the pg_dump command for the configured database.
            """
    )

    @Argument(help: "Where to write the copy; an existing file is replaced only once the copy is complete.")
    var path: String

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        var client = client
        // The daemon copies the whole file before the first byte arrives.
        client.timeout = .hours(6)
        let target = try BackupFile(path: path)
        let interruption = target.removedOnInterrupt()
        defer { interruption.forEach { $0.cancel() } }
        let headers: HTTPHeaders
        do throws(ControlClientError) {
            headers = try await client.download(ControlPath.backup) { chunk in try target.append(chunk) }
            try target.commit(
                expectedBytes: headers.first(name: "Content-Length").flatMap { Int64($0) },
                notOver: headers.first(name: BackupHeaders.source)
            )
        } catch {
            target.discard()
            if case .refused(let problem) = error, let command = problem.command {
                print("\(command) --file=\(ShellQuoting.quoted(path))")
            }
            throw error
        }
        let tables = (headers.first(name: BackupHeaders.tables) ?? "").split(separator: ",").compactMap { pair -> (String, Int)? in
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=")
            guard parts.count == 2, let rows = Int(parts[1]) else { return nil }
            return (String(parts[0]), rows)
        }
        let seconds = Double(headers.first(name: BackupHeaders.seconds) ?? "") ?? 0
        if options.json {
            let document: [String: Any] = [
                "path": target.path, "bytes": target.written, "seconds": seconds,
                "tables": Dictionary(tables, uniquingKeysWith: { first, _ in first }),
            ]
            if let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]) {
                Output.printJSON(data)
            }
            return
        }
        print("wrote \(target.path): \(target.written) bytes (\(String(format: "%.1f", Double(target.written) / 1_048_576)) MiB), copied in \(String(format: "%.2f", seconds)) s")
        print(Table.columns([["TABLE", "ROWS"]] + tables.map { [$0.0, String($0.1)] }))
    }
}

/// The file a backup arrives in: a temporary name beside its destination, mode 0600,
/// renamed over the destination only once complete and synced.
final class BackupFile {
    let path: String
    private let temporary: String
    private var descriptor: Int32
    private(set) var written: Int64 = 0
    private var head = [UInt8]()

    /// SQLite's file header: anything else is not a database, whatever the daemon said.
    static let magic = Array("SQLite format 3\0".utf8)

    init(path: String) throws(ControlClientError) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = absolute
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .failedHere("\(absolute) is a directory; give the copy's file name")
        }
        let url = URL(fileURLWithPath: absolute)
        temporary = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".partial-\(getpid())"
        descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .failedHere("cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
    }

    func append(_ chunk: ByteBuffer) throws {
        if head.count < Self.magic.count {
            head += chunk.readableBytesView.prefix(Self.magic.count - head.count)
        }
        try chunk.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let result = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw ControlClientError.failedHere("writing \(temporary) failed: \(String(cString: strerror(errno)))")
                }
                offset += result
            }
        }
        written += Int64(chunk.readableBytes)
    }

    /// `notOver`: the live database as `device:inode`, which the copy must not replace: the
    /// daemon has it open, and its WAL would be applied to the wrong file at the next start.
    func commit(expectedBytes: Int64?, notOver live: String?) throws(ControlClientError) {
        var existing = stat()
        if let live, stat(path, &existing) == 0, "\(existing.st_dev):\(existing.st_ino)" == live {
            throw .failedHere("\(path) is the database triaged is using; write the copy elsewhere")
        }
        guard expectedBytes == nil || expectedBytes == written else {
            throw .badResponse("the copy ended after \(written) of \(expectedBytes ?? 0) bytes")
        }
        guard head == Self.magic else { throw .badResponse("what arrived is not an SQLite database") }
        guard fsync(descriptor) == 0 else { throw .failedHere("syncing \(temporary) failed: \(String(cString: strerror(errno)))") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, path) == 0 else { throw .failedHere("renaming the copy to \(path) failed: \(String(cString: strerror(errno)))") }
        // The rename itself must survive a crash too.
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Ctrl-C or SIGTERM during the transfer removes the partial file before exiting.
    func removedOnInterrupt() -> [any DispatchSourceSignal] {
        let temporary = self.temporary
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                unlink(temporary)
                FileHandle.standardError.write(Data("triagectl: interrupted; the partial copy was removed\n".utf8))
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporary)
    }
}
