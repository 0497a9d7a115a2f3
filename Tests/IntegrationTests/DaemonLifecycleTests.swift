import Foundation
import Testing
import TriageTestSupport

/// The systemd contract of the real binary (DESIGN §6), with a test-owned NOTIFY_SOCKET.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DaemonLifecycleTests {
    @Test func readyMeansBothListenersAlreadyAnswer() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        let ready = try await daemon.waitUntilReady()
        // At the moment READY=1 arrives both listeners must already answer.
        #expect(try await daemon.get("/healthz").status == 200)
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(try await daemon.ctl("status").exitCode == 0)

        #expect(ready.text.contains("STATUS=Ready: serving http://127.0.0.1:"))
        #expect(ready.text.contains(daemon.socketPath))
        let first = try #require(daemon.notify.messages.first)
        #expect(first.text.hasPrefix("STATUS=Starting"), "a readable STATUS= precedes READY=1")
        #expect(try await daemon.get("/readyz").status == 200)

        var mode = stat()
        #expect(stat(daemon.socketPath, &mode) == 0)
        #expect(mode.st_mode & 0o777 == 0o660)
    }

    @Test func watchdogPingsAtHalfTheInterval() async throws {
        let daemon = try TestDaemon(watchdogMicroseconds: 1_000_000)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let pings = { daemon.notify.messages.filter { $0.text == "WATCHDOG=1" }.map(\.at) }
        #expect(try await eventually(timeout: .seconds(30)) { pings().count >= 9 }, "pings keep coming: \(pings().count)")
        let gaps = zip(pings().dropFirst(), pings()).map { $0 - $1 }.sorted()
        let median = try #require(gaps.isEmpty ? nil : gaps[gaps.count / 2])
        // Half of 1 s: each round sleeps 500 ms and then probes, so a gap is never much
        // shorter; load can only stretch it, and a ping at the full interval would be too late.
        #expect(median >= .milliseconds(450) && median < .milliseconds(900), "median gap \(median) of \(gaps)")
    }

    /// What systemd relies on after a frozen daemon is thawed (its watchdog SIGABRT
    /// arrives then): pings come from the process's own probe loop, so none arrive
    /// while it is stopped, and they resume by themselves once it runs. The probes
    /// that withhold pings from a running but wedged daemon (a blocked event loop,
    /// a store that stops answering) are driven to failure in WatchdogServiceTests.
    @Test func noPingsWhileStoppedAndTheyResumeWhenContinued() async throws {
        let daemon = try TestDaemon(watchdogMicroseconds: 400_000)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        #expect(await daemon.notify.waitFor(timeout: .seconds(10)) { $0 == "WATCHDOG=1" } != nil)

        daemon.process.signal(SIGSTOP)
        // Give a ping that was already on its way time to arrive, then look for any after it.
        try await Task.sleep(for: .milliseconds(200))
        let countWhileFrozen = daemon.notify.messages.count
        try await Task.sleep(for: .seconds(1))
        let lateMessages = daemon.notify.messages[countWhileFrozen...].filter { $0.text == "WATCHDOG=1" }
        #expect(lateMessages.isEmpty, "no pings while stopped")

        daemon.process.signal(SIGCONT)
        let resumed = await daemon.notify.waitFor(after: countWhileFrozen, timeout: .seconds(10)) { $0 == "WATCHDOG=1" }
        #expect(resumed != nil, "pings resume after SIGCONT")
    }

    @Test func sighupReloadsAndAppliesTheNewLogLevel() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("triaged.yaml", "log:\n  level: info\n")
        let daemon = try TestDaemon(arguments: ["--config", config], directory: directory)
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let before = daemon.notify.messages.count

        try directory.write("triaged.yaml", "log:\n  level: debug\n")
        daemon.process.signal(SIGHUP)
        let reloading = try #require(await daemon.notify.waitFor(after: before, timeout: .seconds(10)) { $0.hasPrefix("RELOADING=1") })
        #expect(reloading.message.text.contains("MONOTONIC_USEC="))
        let usec = reloading.message.text.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
        #expect(usec.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) } != nil)
        #expect(await daemon.notify.waitFor(after: reloading.index + 1, timeout: .seconds(10)) { $0.hasPrefix("READY=1") } != nil)

        let status = try await daemon.ctl("status", "--json")
        #expect(status.exitCode == 0)
        #expect(status.standardOutput.contains(#""logLevel":"debug""#))
        // The new level is in force: debug lines now appear.
        _ = try await daemon.get("/healthz")
        #expect(try await eventually { daemon.process.standardError.contains("level=debug") })
    }

    @Test func theDescriptorSoftLimitIsRaisedToTheHardOne() async throws {
        // Started as systemd's defaults would: a soft limit of 1024 below the hard one.
        let hard = try #require(Self.limits(pid: getpid())?.hard)
        try #require(hard > 1024, "this machine's hard limit (\(hard)) leaves nothing to raise")
        let daemon = try TestDaemon(prefix: ["/usr/bin/prlimit", "--nofile=1024:"])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let limits = try #require(Self.limits(pid: daemon.process.pid))
        #expect(limits.soft == hard && limits.hard == hard, "\(limits)")
        #expect(daemon.process.standardError.contains("open-descriptor limit raised from 1024 to \(hard)"))
    }

    @Test func aStalledRequestHeadIsClosedAfterTheIdleTimeout() async throws {
        let daemon = try TestDaemon(environment: ["TRIAGE_HTTP_IDLE_TIMEOUT": "1"])
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let port = try #require(daemon.httpPort)
        let started = ContinuousClock.now
        // Half a request head, then nothing: the daemon must not hold the connection forever.
        let answer = try await offThePool { try TCPProbe.sendAndReadUntilClosed("GET /healthz HTTP/1.1\r\n", port: port, limit: .seconds(60)) }
        #expect(answer.closedByPeer, "the daemon closed the connection")
        #expect(ContinuousClock.now - started < .seconds(30), "within the 1 s idle timeout, generously")
        #expect(try await daemon.get("/healthz").status == 200, "and still serves")
    }

    /// "Max open files" of /proc/PID/limits.
    static func limits(pid: pid_t) -> (soft: Int, hard: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") })
        else { return nil }
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    @Test func sigtermDrainsSendsStoppingAndRemovesTheSocket() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        #expect(FileManager.default.fileExists(atPath: daemon.socketPath))
        let exitCode = await daemon.stop()
        #expect(exitCode == 0)
        #expect(daemon.notify.messages.contains { $0.text.hasPrefix("STOPPING=1") })
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func viewsCountedInMemoryAreWrittenAtShutdown() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        let token = try await daemon.token(user: "writer", role: "member", password: "writer-password")
        let created = try await daemon.send(.POST, "/api/issues", json: #"{"title":"t","description":""}"#, token: token)
        let id = try #require(try TestDaemon.json(created.body)["id"] as? Int)
        var shown: [Int] = []
        for _ in 0..<3 {
            let viewed = try await daemon.send(.GET, "/api/issues/\(id)", token: token)
            shown.append(try #require(try TestDaemon.json(viewed.body)["viewCount"] as? Int))
        }
        #expect(shown == [1, 2, 3], "each response counts its own view")
        #expect(await daemon.stop() == 0)
        let stored = try await CommandResult.run(
            ["/usr/bin/sqlite3", daemon.directory.file("triage-data/triage.sqlite"), "SELECT view_count FROM issues WHERE id = \(id)"],
            in: daemon.directory
        )
        #expect(stored.trimmed == "3", "the last batch was written before the store closed")
    }

    @Test func sigintAlsoStopsCleanly() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        daemon.process.signal(SIGINT)
        #expect(await daemon.process.waitForExit(timeout: .seconds(30)) == 0)
        #expect(daemon.notify.messages.contains { $0.text.hasPrefix("STOPPING=1") })
    }

    @Test func withoutNotifySocketEverythingStillWorks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.file("control.sock")
        let child = try ChildProcess(
            Binaries.triaged, ["--port", "0", "--control-socket", socket],
            environment: ["PATH": "/usr/bin:/bin"], directory: directory.path, name: "plain"
        )
        defer { child.killNow() }
        #expect(try await eventually(timeout: .seconds(60)) { FileManager.default.fileExists(atPath: socket) })
        let status = try await CommandResult.run([Binaries.triagectl, "status", "--socket", socket], in: directory)
        #expect(status.exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: directory.file("triage-data/triage.sqlite")), "default database under ./triage-data")
        child.signal(SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(30)) == 0)
    }
}
