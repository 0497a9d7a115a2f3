import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TriageTestSupport

/// The real `triaged` binary, started in its own temporary directory with a
/// test-owned NOTIFY_SOCKET.
final class TestDaemon: Sendable {
    let directory: TemporaryDirectory
    let notify: NotifySocket
    let process: ChildProcess
    let socketPath: String
    /// Runs `triagectl` as the daemon's user (a socket of another user is refused).
    private let ctlPrefix: [String]

    /// An unprivileged user to run the daemon as, where root's powers would hide a fault
    /// (root reads and writes a file whatever its mode). The directory becomes theirs.
    struct User: Sendable {
        let uid: UInt32
        let gid: UInt32
        static let nobody = User(uid: 65534, gid: 65534)
        var setpriv: [String] { ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"] }
    }

    struct NotReady: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "triaged did not report READY=1; its stderr:\n\(stderr)" }
    }

    /// Starts the daemon; `arguments` come after the defaults so they can override them.
    /// `prefix` is a command that execs the daemon in its place (e.g. `prlimit …`).
    init(
        prefix: [String] = [],
        arguments: [String] = [],
        environment: [String: String] = [:],
        watchdogMicroseconds: Int? = nil,
        directory: TemporaryDirectory? = nil,
        socketPath: String? = nil,
        runAs user: User? = nil
    ) throws {
        let directory = try directory ?? TemporaryDirectory()
        self.directory = directory
        self.socketPath = socketPath ?? directory.file("control.sock")
        let notifyPath = directory.file("notify-\(UUID().uuidString.prefix(8)).sock")
        notify = try NotifySocket(path: notifyPath)
        if let user {
            for path in [directory.path] + (FileManager.default.subpaths(atPath: directory.path) ?? []).map(directory.file) {
                chown(path, user.uid, user.gid)
            }
        }
        ctlPrefix = user?.setpriv ?? []
        var childEnvironment = [
            "PATH": "/usr/bin:/bin",
            "HOME": directory.path,
            "NOTIFY_SOCKET": notifyPath,
            "TZ": "UTC",
            // The cheapest bcrypt keeps tests that log in fast; production defaults to 12.
            "TRIAGE_AUTH_BCRYPT_COST": "4",
        ]
        if let watchdogMicroseconds { childEnvironment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        childEnvironment.merge(environment) { _, new in new }
        let command = (user?.setpriv ?? []) + prefix + [Binaries.triaged, "--port", "0", "--control-socket", self.socketPath] + arguments
        process = try ChildProcess(
            command[0], Array(command.dropFirst()),
            environment: childEnvironment, directory: directory.path, name: "triaged-\(notifyPath.suffix(13).prefix(8))"
        )
    }

    /// Waits for READY=1 and returns its message.
    @discardableResult
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws -> NotifySocket.Message {
        guard let ready = await notify.waitFor(timeout: timeout, { $0.split(separator: "\n").contains("READY=1") }) else {
            throw NotReady(stderr: process.standardError)
        }
        return ready.message
    }

    /// Waits until the start-up catch-up has ended and the scheduler has planned its
    /// next run. A manual `batch run` sent before that can be refused as busy (409).
    func waitUntilSchedulerSettled(timeout: Duration = .seconds(60)) async throws {
        let settled = try await eventually(timeout: timeout) {
            let status = try await ctl("status", "--json")
            let object = try? JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
            let scheduler = object?["scheduler"] as? [String: Any]
            return scheduler?["nextRunAt"] is String && scheduler?["running"] as? Bool == false
        }
        guard settled else { throw NotReady(stderr: "the scheduler never planned its next run; stderr:\n\(process.standardError)") }
    }

    /// Parses a JSON answer (a body or `--json` output) as `T` (a dictionary or an array of them).
    static func json<T>(_ text: String, as type: T.Type = [String: Any].self) throws -> T {
        guard let value = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? T else {
            throw UnexpectedJSON(text: text, expected: "\(T.self)")
        }
        return value
    }

    struct UnexpectedJSON: Error, CustomStringConvertible {
        let text: String
        let expected: String
        var description: String { "expected \(expected), got: \(text.prefix(500))" }
    }

    /// The HTTP port, read from the STATUS line sent with READY=1.
    var httpPort: Int? {
        for message in notify.messages {
            guard let range = message.text.range(of: "http://127.0.0.1:") else { continue }
            let digits = message.text[range.upperBound...].prefix { $0.isNumber }
            return Int(digits)
        }
        return nil
    }

    func get(_ path: String) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await send(.GET, path)
    }

    func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        guard let port = httpPort else { throw NotReady(stderr: process.standardError) }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let json {
            request.body = .bytes(ByteBuffer(string: json))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body), response.headers)
    }

    /// Creates a user over the control socket and logs in as them; returns the bearer token.
    func token(user: String = "reader", role: String = "viewer", password: String = "reader-password") async throws -> String {
        let created = try await ctl("user", "create", user, "--role", role, "--password-stdin", input: password + "\n")
        guard created.exitCode == 0 else { throw NotReady(stderr: created.standardError) }
        let login = try await send(.POST, "/api/auth/login", json: #"{"username":"\#(user)","password":"\#(password)"}"#)
        let body = try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any]
        guard let token = body?["accessToken"] as? String else { throw NotReady(stderr: "login failed: \(login.body)") }
        return token
    }

    /// Runs `triagectl` against this daemon.
    func ctl(_ arguments: String..., prefix: [String] = [], input: String? = nil) async throws -> CommandResult {
        try await CommandResult.run(ctlPrefix + prefix + [Binaries.triagectl] + arguments + ["--socket", socketPath], in: directory, input: input)
    }

    /// SIGTERM, then the exit code.
    func stop() async -> Int32? {
        process.signal(SIGTERM)
        return await process.waitForExit(timeout: .seconds(30))
    }

    /// Kills the process (if it still runs) and closes the notify socket, keeping the
    /// directory for a restart on the same files (use in `defer`).
    func killNow() {
        process.killNow()
        notify.close()
    }

    /// Stops everything this daemon left, synchronously (use in `defer`).
    func cleanUpNow() {
        process.killNow()
        notify.close()
        directory.remove()
    }

    func cleanUp() async {
        await process.terminate()
        notify.close()
        directory.remove()
    }
}

/// A finished command: its exit code and output.
struct CommandResult: Sendable {
    let exitCode: Int32
    let standardOutput: String
    let standardError: String

    /// Standard output without its surrounding whitespace: a single value's text.
    var trimmed: String { standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func run(
        _ command: [String], in directory: TemporaryDirectory, environment: [String: String] = ["PATH": "/usr/bin:/bin"],
        input: String? = nil
    ) async throws -> CommandResult {
        let name = "cmd-\(UUID().uuidString.prefix(8))"
        let inputPath = try input.map { try directory.write("\(name).stdin", $0) }
        let child = try ChildProcess(
            command[0], Array(command.dropFirst()), environment: environment,
            directory: directory.path, name: name, standardInput: inputPath
        )
        guard let code = await child.waitForExit(timeout: .seconds(60)) else {
            await child.terminate()
            Issue.record("\(command) did not finish within 60 s")
            return CommandResult(exitCode: -1, standardOutput: child.standardOutput, standardError: child.standardError)
        }
        return CommandResult(exitCode: code, standardOutput: child.standardOutput, standardError: child.standardError)
    }
}
