import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TriageServer

@Suite struct ControlSocketGuardTests {
    @Test func tellsFreeStaleLiveAndForeignPathsApart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("control.sock")
        #expect(ControlSocketGuard.inspect(path: path) == .free)

        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path).get()
        #expect(ControlSocketGuard.inspect(path: path) == .inUse)
        try await server.close()
        try? FileManager.default.removeItem(atPath: path)

        try Self.leaveStaleSocket(at: path)
        #expect(ControlSocketGuard.inspect(path: path) == .stale)
        ControlSocketGuard.removeOnShutdown(path: path)
        #expect(!FileManager.default.fileExists(atPath: path))

        let regular = try directory.write("regular", "keep me")
        #expect(ControlSocketGuard.inspect(path: regular) == .notASocket)
        ControlSocketGuard.removeOnShutdown(path: regular)
        #expect(FileManager.default.fileExists(atPath: regular))
    }

    /// Binds and closes a socket without unlinking it: what a SIGKILLed daemon leaves.
    static func leaveStaleSocket(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.EADDRINUSE) }
    }
}
