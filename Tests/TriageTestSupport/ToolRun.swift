import Foundation

/// A command-line tool run to its end from a unit test (a Python validator or
/// oracle), its output captured through files so neither pipe can fill up and
/// stall it. Runs off the cooperative pool.
public struct ToolRun: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String

    /// `arguments[0]` is looked up on the PATH.
    public static func run(_ arguments: [String]) async throws -> ToolRun {
        try await offThePool {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let output = directory.file("stdout")
            let errors = directory.file("stderr")
            guard FileManager.default.createFile(atPath: output, contents: nil), FileManager.default.createFile(atPath: errors, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            try process.run()
            process.waitUntilExit()
            return ToolRun(
                status: process.terminationStatus,
                standardOutput: try String(contentsOfFile: output, encoding: .utf8),
                standardError: try String(contentsOfFile: errors, encoding: .utf8)
            )
        }
    }
}
