import Foundation
import Testing
import TriageTestSupport

/// `triagectl` against the real daemon: output, exit codes, and who may use the socket.
@Suite(.serialized, .timeLimit(.minutes(5))) struct TriagectlTests {
    @Test func statusAsTableAndJSON() async throws {
        let daemon = try TestDaemon(watchdogMicroseconds: 2_000_000)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()

        let table = try await daemon.ctl("status")
        #expect(table.exitCode == 0)
        let rows = table.standardOutput.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("ready ") && $0.hasSuffix("yes") })
        #expect(rows.contains { $0.hasPrefix("store ") && $0.contains("sqlite") })
        #expect(rows.contains { $0.hasPrefix("watchdog ") && $0.contains("every 2.0s") })
        // Aligned: every value starts in the same column, two spaces after the longest key.
        let cells = rows.map { row -> (keyLength: Int, valueColumn: Int) in
            guard let gap = row.range(of: "  ") else { return (-1, -1) }
            let value = row[gap.lowerBound...].firstIndex { $0 != " " } ?? row.endIndex
            return (row.distance(from: row.startIndex, to: gap.lowerBound), row.distance(from: row.startIndex, to: value))
        }
        let longestKey = try #require(cells.map(\.keyLength).max())
        #expect(rows.count >= 10, "\(table.standardOutput)")
        #expect(Set(cells.map(\.valueColumn)) == [longestKey + 2], "value columns \(cells.map(\.valueColumn)) in:\n\(table.standardOutput)")

        let json = try await daemon.ctl("status", "--json")
        #expect(json.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["ready"] as? Bool == true)
        #expect(object["version"] as? String == "0.1.0")
        #expect((object["store"] as? [String: Any])?["reachable"] as? Bool == true)
        #expect(object["pid"] as? Int == Int(daemon.process.pid))
    }

    @Test func logLevelAndReload() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()

        let changed = try await daemon.ctl("log-level", "DEBUG")
        #expect(changed.exitCode == 0)
        #expect(changed.standardOutput.contains("debug"))
        #expect(try await daemon.ctl("status", "--json").standardOutput.contains(#""logLevel":"debug""#))

        let bad = try await daemon.ctl("log-level", "loud")
        #expect(bad.exitCode == 64, "argument-parser's usage error")

        let before = daemon.notify.messages.count
        let reload = try await daemon.ctl("reload", "--json")
        #expect(reload.exitCode == 0)
        #expect(reload.standardOutput.contains(#""logLevel":"info""#), "a reload re-applies the configured level")
        let reloading = try #require(await daemon.notify.waitFor(after: before, timeout: .seconds(5)) { $0.hasPrefix("RELOADING=1") })
        #expect(await daemon.notify.waitFor(after: reloading.index + 1, timeout: .seconds(5)) { $0.hasPrefix("READY=1") } != nil)
    }

    @Test func aFailedReloadExitsOneAndKeepsTheDaemon() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("triaged.yaml", "log:\n  level: info\n")
        let daemon = try TestDaemon(arguments: ["--config", config], directory: directory)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        try directory.write("triaged.yaml", "log:\n  level: whisper\n")
        let reload = try await daemon.ctl("reload")
        #expect(reload.exitCode == 1)
        #expect(reload.standardError.contains("log.level"))
        #expect(try await daemon.ctl("status").exitCode == 0)
    }

    @Test func noDaemonMeansExit69() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = try await CommandResult.run([Binaries.triagectl, "status", "--socket", directory.file("none.sock")], in: directory)
        #expect(missing.exitCode == 69)
        #expect(missing.standardError.contains("cannot reach triaged"))

        try UnixSocket.leaveStale(at: directory.file("stale.sock"))
        let stale = try await CommandResult.run([Binaries.triagectl, "status", "--socket", directory.file("stale.sock")], in: directory)
        #expect(stale.exitCode == 69)
    }

    @Test func socketComesFromTheEnvironmentWhenNotGiven() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let result = try await CommandResult.run(
            [Binaries.triagectl, "status"], in: daemon.directory,
            environment: ["PATH": "/usr/bin:/bin", "TRIAGE_CONTROL_SOCKET": daemon.socketPath]
        )
        #expect(result.exitCode == 0)
    }

    @Test(.enabled(if: getuid() == 0, "switching to another uid needs root"))
    func aPeerWithAnotherUIDIsRefused() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        // Let `nobody` reach the socket (group root, mode 0660) so the daemon itself must refuse.
        chmod(daemon.directory.path, 0o755)
        let result = try await daemon.ctl("status", prefix: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=0", "--clear-groups"])
        #expect(result.exitCode == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.contains("uid 65534"))
    }

    @Test(.enabled(if: getuid() == 0, "handing a socket to another uid needs root"))
    func aSocketOwnedBySomeoneElseIsNotTrusted() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("planted.sock")
            try UnixSocket.leaveStale(at: path)
            #expect(chown(path, 65534, 65534) == 0)
            let result = try await CommandResult.run([Binaries.triagectl, "status", "--socket", path], in: directory)
            #expect(result.exitCode == 69)
            #expect(result.standardError.contains("owned by uid 65534, which is neither root, you, nor the triage user"), "\(result.standardError)")
        }
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/triage"), "a packaged triaged runs on this machine"))
    func theWorkingDirectoryFallbackIsNamed() async throws {
        try await TemporaryDirectory.with { directory in
            let result = try await CommandResult.run([Binaries.triagectl, "status"], in: directory)
            #expect(result.exitCode == 69)
            #expect(result.standardError.contains("no --socket, TRIAGE_CONTROL_SOCKET or /run/triage/control.sock; using ./triage-data/control.sock"))
        }
    }

    @Test func shellCompletionsAreGenerated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bash = try await CommandResult.run([Binaries.triagectl, "--generate-completion-script", "bash"], in: directory)
        #expect(bash.exitCode == 0)
        #expect(bash.standardOutput.contains("log-level"))
    }
}
