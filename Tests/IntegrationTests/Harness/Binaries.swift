import Foundation

/// Where `swift build` put `triaged` and `triagectl`: next to the test bundle.
enum Binaries {
    static let directory: String = {
        if let explicit = ProcessInfo.processInfo.environment["TRIAGE_TEST_BIN_DIR"] { return explicit }
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The runner is `.build/<triple>/debug/<Package>PackageTests.xctest` (a file on Linux).
        while candidate.path != "/" {
            candidate.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("triaged").path) {
                return candidate.path
            }
        }
        // Fall back to the package's default build directory.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug").path
    }()

    static var triaged: String { directory + "/triaged" }
    static var triagectl: String { directory + "/triagectl" }
}
