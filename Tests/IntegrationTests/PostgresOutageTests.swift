import Foundation
import Synchronization
import Testing
import TriageTestSupport

/// A PostgreSQL server of the test's own (scripts/test-postgres), so stopping
/// it cannot disturb the suites sharing the run's server.
struct PrivatePostgres {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/test-postgres").path
    /// Directly under /tmp: the postgres user must be able to reach it when the tests run as root.
    let directory = "/tmp/triage-pg-outage-\(UUID().uuidString.prefix(8))"
    let scratch: TemporaryDirectory
    /// The script needs python3 and runuser, wherever this machine keeps them.
    private var environment: [String: String] { ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"] }

    @discardableResult
    func start() async throws -> String {
        let started = try await CommandResult.run([Self.script, "start", directory], in: scratch, environment: environment)
        #expect(started.exitCode == 0, "\(started.standardError)")
        return started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() async throws {
        let stopped = try await CommandResult.run([Self.script, "stop", directory], in: scratch, environment: environment)
        #expect(stopped.exitCode == 0, "\(stopped.standardError)")
    }

    func remove() async {
        _ = try? await CommandResult.run([Self.script, "stop", directory], in: scratch, environment: environment)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// What clients see while a steady stream of reads and writes runs.
private final class LoadRecord: Sendable {
    private let state = Mutex<(statuses: [Int: Int], acknowledged: [Int], slowest: Duration, errors: [String])>(([:], [], .zero, []))

    func record(error: any Error, took: Duration) {
        state.withLock { state in
            state.statuses[-1, default: 0] += 1
            state.errors.append("\(error) after \(took)")
        }
    }

    func record(status: Int, took: Duration, createdID: Int?) {
        state.withLock { state in
            state.statuses[status, default: 0] += 1
            if let createdID { state.acknowledged.append(createdID) }
            state.slowest = max(state.slowest, took)
        }
    }

    var statuses: [Int: Int] { state.withLock { $0.statuses } }
    var acknowledged: [Int] { state.withLock { $0.acknowledged } }
    var slowest: Duration { state.withLock { $0.slowest } }
    var errors: [String] { state.withLock { $0.errors } }

    /// Ends the load after the request in flight, so no request is cut off by the test itself.
    private let stopped = Mutex(false)
    func stop() { stopped.withLock { $0 = true } }
    var isStopped: Bool { stopped.withLock { $0 } }
}

@Suite(.serialized, .timeLimit(.minutes(5))) struct PostgresOutageTests {
    @Test func stoppingAndRestartingPostgresUnderLoadDegradesAndRecovers() async throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let server = PrivatePostgres(scratch: scratch)
        do {
            try await degradeAndRecover(server, scratch: scratch)
        } catch {
            await server.remove()
            throw error
        }
        await server.remove()
    }

    private func degradeAndRecover(_ server: PrivatePostgres, scratch: TemporaryDirectory) async throws {
        let url = try await server.start()
        let daemon = try TestDaemon(
            environment: [
                "TRIAGE_DATABASE_URL": url, "TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32), "TRIAGE_DATABASE_TIMEOUT": "2",
            ],
            watchdogMicroseconds: 1_000_000
        )
        defer { daemon.cleanUpNow() }
        try await daemon.waitUntilReady()
        // A second instance on the same server, to send A an event after the restart.
        let other = try TestDaemon(environment: [
            "TRIAGE_DATABASE_URL": url, "TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32), "TRIAGE_DATABASE_TIMEOUT": "2",
        ])
        defer { other.cleanUpNow() }
        try await other.waitUntilReady()
        let token = try await daemon.token(user: "writer", role: "member", password: "writer-password")
        let warm = try await daemon.send(.GET, "/api/issues/popular", token: token)
        #expect(warm.status == 200)

        let record = LoadRecord()
        let load = Task {
            var sent = 0
            while !record.isStopped {
                sent += 1
                let began = ContinuousClock.now
                do {
                    let answer = try await daemon.send(
                        .POST, "/api/issues", json: #"{"title":"load \#(sent)","description":"","priority":"LOW"}"#, token: token
                    )
                    let id = answer.status == 201
                        ? (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["id"] as? Int : nil
                    record.record(status: answer.status, took: ContinuousClock.now - began, createdID: id)
                } catch {
                    record.record(error: error, took: ContinuousClock.now - began)
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { record.stop() }
        #expect(try await eventually(timeout: .seconds(30)) { (record.statuses[201] ?? 0) >= 5 }, "the load runs before the outage")

        try await server.stop()
        let stoppedAt = daemon.notify.messages.count
        #expect(try await eventually(timeout: .seconds(6)) { try await daemon.get("/readyz").status == 503 }, "/readyz answers 503 while the database is gone")
        let degraded = await daemon.notify.waitFor(after: stoppedAt, timeout: .seconds(10)) { $0.contains("DEGRADED: the database") }
        #expect(degraded != nil, "STATUS= says the database does not answer")
        #expect(try await eventually(timeout: .seconds(30)) { (record.statuses[503] ?? 0) > 0 }, "requests that need the database got 503: \(record.statuses)")
        let refused = try await daemon.send(.GET, "/api/issues?page=0", token: token)
        #expect(refused.status == 503)
        #expect(refused.headers.first(name: "Retry-After") != nil)
        #expect(refused.body.contains("database is unavailable"))
        let cached = try await daemon.send(.GET, "/api/issues/popular", token: token)
        #expect(cached.status == 200, "the popular list is still served from the cache")
        #expect(cached.body == warm.body)
        let pingsDuringOutage = { daemon.notify.messages[stoppedAt...].filter { $0.text.contains("WATCHDOG=1") }.count }
        #expect(try await eventually(timeout: .seconds(30)) { pingsDuringOutage() >= 3 }, "the watchdog keeps pinging: a restart cannot fix a remote outage")
        #expect(await daemon.process.waitForExit(timeout: .zero) == nil, "the daemon keeps running")

        try await server.start()
        let restartedAt = daemon.notify.messages.count
        #expect(try await eventually(timeout: .seconds(10)) { try await daemon.get("/readyz").status == 200 }, "/readyz recovers without a restart")
        let back = await daemon.notify.waitFor(after: restartedAt, timeout: .seconds(10)) { $0.hasPrefix("STATUS=Ready:") && !$0.contains("DEGRADED") }
        #expect(back != nil, "STATUS= is the ready line again")
        let createdBefore = record.statuses[201] ?? 0
        #expect(try await eventually(timeout: .seconds(30)) { (record.statuses[201] ?? 0) > createdBefore + 3 }, "writes succeed again")
        record.stop()
        _ = await load.result

        #expect(record.statuses[500] == nil, "never a 500: \(record.statuses)")
        #expect(Set(record.statuses.keys).isSubset(of: [201, 503]), "\(record.statuses); client errors: \(record.errors)")
        #expect(record.slowest < .seconds(4), "no answer waited much longer than database.timeout (2 s): \(record.slowest)")

        // Every write acknowledged before, during or after the outage is there.
        let stored = try await CommandResult.run(
            ["/usr/bin/psql", url, "-tAqc", "SELECT id FROM issues ORDER BY id"], in: scratch
        )
        let ids = Set(stored.standardOutput.split(whereSeparator: \.isNewline).compactMap { Int($0) })
        #expect(!record.acknowledged.isEmpty)
        #expect(Set(record.acknowledged).isSubset(of: ids), "acknowledged but missing: \(Set(record.acknowledged).subtracting(ids).sorted())")

        // The event listener noticed, reconnected and dropped what it may have missed...
        #expect(try await eventually { daemon.process.standardError.contains("notifications may have been missed") })
        // ...and hears the other instance again: a flush sent through B after the restart
        // empties A's cache, which was filled after A re-subscribed. NOTIFY is not replayed,
        // so a flush sent in the instant before A's LISTEN is lost; the flush is sent again then.
        let listening = "listening for other instances' events"
        #expect(try await eventually(timeout: .seconds(30)) { daemon.process.standardError.components(separatedBy: listening).count - 1 >= 2 })
        let heard = try await eventually(timeout: .seconds(30)) { () async throws -> Bool in
            guard try await daemon.send(.GET, "/api/issues/popular", token: token).status == 200,
                  try await PostgresIntegrationTests.popularEntries(daemon) == 1
            else { return false }
            guard try await other.ctl("cache", "flush", "popular").exitCode == 0 else { return false }
            return try await eventually(timeout: .seconds(2)) { try await PostgresIntegrationTests.popularEntries(daemon) == 0 }
        }
        #expect(heard, "a flush from the other instance reached A after the reconnect")
    }
}
