import Foundation

/// A fresh, short directory under /tmp (socket paths must stay under 108 bytes).
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/triage-it-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: created)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
