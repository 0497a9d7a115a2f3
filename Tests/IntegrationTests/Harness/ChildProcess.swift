import Foundation
import Synchronization
import TriageTestSupport

/// A process started with posix_spawn, so the tests control its exact
/// environment, can SIGSTOP it, and reap it without Foundation's help.
final class ChildProcess: Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with exactly `environment`, in `directory`, output into files there.
    /// `standardInput`, when given, is a file whose contents the process reads on fd 0.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String, name: String,
        standardInput: String? = nil
    ) throws {
        stdoutPath = directory + "/\(name).stdout"
        stderrPath = directory + "/\(name).stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift; coreutils' env
        // changes directory and execs, so the pid stays the target's.
        let argv = (["/usr/bin/env", "-C", directory, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, "/usr/bin/env", &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        pid = spawned
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// The exit code (or 128 + signal), or nil if it is still running after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        try? await eventually(timeout: timeout, interval: .milliseconds(10)) { reap() }
    }

    /// The exit code if the process has ended, reaping it once.
    private func reap() -> Int32? {
        if let known = exitStatus.withLock({ $0 }) { return known }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus.withLock { $0 = code }
        return code
    }

    /// Kills and reaps the process at once, blocking: for `defer`, where an
    /// unstructured task might never run before the test process exits.
    func killNow() {
        if exitStatus.withLock({ $0 }) != nil { return }
        kill(pid, SIGCONT)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exitStatus.withLock { $0 = 128 + SIGKILL }
    }

    /// Kills and reaps the process if it is still alive.
    func terminate() async {
        if await waitForExit(timeout: .zero) != nil { return }
        signal(SIGCONT)
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(5))
    }

    var standardOutput: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}
