import Foundation

/// A fresh, short directory under /tmp (socket paths must stay under 108 bytes).
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init() throws {
        var template = Array("/tmp/triage-test-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: created)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// A fresh directory for the length of `body`, removed afterwards.
    public static func with<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
        try await scoped(try TemporaryDirectory(), cleanUp: { $0.remove() }, body)
    }

    /// `with` for synchronous bodies.
    public static func withSync<Result>(_ body: (TemporaryDirectory) throws -> Result) throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try body(directory)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
