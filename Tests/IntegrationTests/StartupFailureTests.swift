import Foundation
import NIOCore
import NIOPosix
import Testing
import TriageTestSupport

/// Invalid configuration ends the process with 78 and one line naming the key,
/// and READY=1 is never sent (DESIGN §2).
@Suite(.serialized, .timeLimit(.minutes(5))) struct StartupFailureTests {
    private func expectConfigurationFailure(
        _ daemon: TestDaemon, naming key: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let code = await daemon.process.waitForExit(timeout: .seconds(60))
        #expect(code == 78, "exit code", sourceLocation: sourceLocation)
        #expect(!daemon.notify.messages.contains { $0.text.contains("READY=1") }, "no READY=1", sourceLocation: sourceLocation)
        let lines = daemon.process.standardError.split(separator: "\n")
        let line = lines.first { $0.hasPrefix("triaged: invalid configuration: ") }
        #expect(line?.contains(key) == true, "a line naming \(key) in: \(lines)", sourceLocation: sourceLocation)
    }

    @Test func badEnvironmentValue() async throws {
        let daemon = try TestDaemon(environment: ["TRIAGE_EXTERNAL_RETRIES": "many"])
        defer { daemon.cleanUpNow() }
        await expectConfigurationFailure(daemon, naming: "external.retries")
    }

    @Test func portOutOfRangeFromAFlag() async throws {
        let daemon = try TestDaemon(arguments: ["--port", "70000"])
        defer { daemon.cleanUpNow() }
        await expectConfigurationFailure(daemon, naming: "http.port")
    }

    @Test func unknownKeyInTheFile() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("triaged.yaml", "cache:\n  popularTTL: 5\n")
        let daemon = try TestDaemon(arguments: ["--config", config], directory: directory)
        defer { daemon.cleanUpNow() }
        await expectConfigurationFailure(daemon, naming: "cache.popularTTL")
    }

    @Test func socketPathTooLong() async throws {
        let daemon = try TestDaemon(arguments: ["--control-socket", "/tmp/" + String(repeating: "x", count: 120)])
        defer { daemon.cleanUpNow() }
        await expectConfigurationFailure(daemon, naming: "control.socket")
    }

    @Test func portAlreadyInUse() async throws {
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { squatter.close(promise: nil) }
        let port = try #require(squatter.localAddress?.port)
        let daemon = try TestDaemon(arguments: ["--port", String(port)])
        defer { daemon.cleanUpNow() }
        await expectConfigurationFailure(daemon, naming: "http.port")
    }

    @Test func databaseFromANewerVersion() async throws {
        let directory = try TemporaryDirectory()
        let first = try TestDaemon(directory: directory)
        try await first.waitUntilReady()
        #expect(await first.stop() == 0)
        first.notify.close()
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "sqlite3 is installed by .ci/run")
        let sqlite = try await CommandResult.run(
            ["/usr/bin/sqlite3", directory.file("triage-data/triage.sqlite"), "INSERT INTO triage_migrations VALUES ('9999-future', 0)"],
            in: directory
        )
        #expect(sqlite.exitCode == 0, "\(sqlite.standardError)")
        let second = try TestDaemon(directory: directory)
        defer { second.cleanUpNow() }
        await expectConfigurationFailure(second, naming: "database.url")
        #expect(second.process.standardError.contains("newer version"))
    }

    @Test func aSecondDaemonOnTheSameSocketRefusesToStart() async throws {
        let first = try TestDaemon()
        defer { first.cleanUpNow() }
        try await first.waitUntilReady()
        let secondDirectory = try TemporaryDirectory()
        let second = try TestDaemon(directory: secondDirectory, socketPath: first.socketPath)
        defer { second.cleanUpNow() }
        await expectConfigurationFailure(second, naming: "control.socket")
        #expect(second.process.standardError.contains("already listening"))
        // The first daemon keeps its socket.
        #expect(try await first.ctl("status").exitCode == 0)
    }

    @Test func aStaleSocketFromAKilledDaemonIsReplaced() async throws {
        let directory = try TemporaryDirectory()
        let killed = try TestDaemon(directory: directory)
        try await killed.waitUntilReady()
        killed.process.signal(SIGKILL)
        _ = await killed.process.waitForExit(timeout: .seconds(10))
        killed.notify.close()
        #expect(FileManager.default.fileExists(atPath: killed.socketPath), "SIGKILL leaves the socket file behind")

        let successor = try TestDaemon(directory: directory)
        defer { successor.cleanUpNow() }
        try await successor.waitUntilReady()
        #expect(try await successor.ctl("status").exitCode == 0)
    }

    @Test func versionAndUsageErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let version = try await CommandResult.run([Binaries.triaged, "--version"], in: directory)
        #expect(version.exitCode == 0)
        #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let unknownFlag = try await CommandResult.run([Binaries.triaged, "--no-such-flag"], in: directory)
        #expect(unknownFlag.exitCode == 64)
    }
}
