import Foundation
import TriageCron

/// The files of `backup.directory`: copies named by their UTC time, so that the
/// names sort as the copies were made and retention is a matter of names alone.
/// Only names of this shape are ever deleted.
struct BackupDirectory {
    let path: String

    static let prefix = "triage-"
    static let suffix = ".sqlite"
    /// A copy being written; renamed to its final name once complete.
    static let partialSuffix = ".partial"

    /// `triage-20261203T030000Z.sqlite`: ISO 8601's basic format, in UTC.
    static func name(at instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let day = CivilDate(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
        let second = ((seconds % 86_400) + 86_400) % 86_400
        let clock = [second / 3600, second % 3600 / 60, second % 60].map { $0 < 10 ? "0\($0)" : String($0) }.joined()
        return prefix + day.description.replacingOccurrences(of: "-", with: "") + "T" + clock + "Z" + suffix
    }

    static func isCopy(_ name: String) -> Bool {
        name.wholeMatch(of: /triage-\d{8}T\d{6}Z\.sqlite/) != nil
    }

    func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// The partial file for `name`: hidden, and recognisably ours.
    func partial(for name: String) -> String { file("." + name + Self.partialSuffix) }

    /// What a run killed midway left: partial copies and SQLite's journal beside them.
    func removePartials() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        where name.hasPrefix("." + Self.prefix) && name.contains(Self.suffix + Self.partialSuffix) {
            unlink(file(name))
        }
    }

    /// Deletes the oldest copies beyond `keep`; returns the names deleted.
    func prune(keep: Int) throws -> [String] {
        let copies = try FileManager.default.contentsOfDirectory(atPath: path).filter(Self.isCopy).sorted(by: >)
        let doomed = Array(copies.dropFirst(keep))
        for name in doomed { try FileManager.default.removeItem(atPath: file(name)) }
        return doomed
    }

    /// Makes a rename inside the directory durable.
    func sync() {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
