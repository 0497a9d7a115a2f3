import Foundation

/// Runs blocking work (a subprocess, a socket read) on a thread of its own.
/// Swift's cooperative pool has one thread per core, two here: a test that
/// blocks one of them can starve every other test in the process for as long
/// as it blocks, and deadlock a server it waits for.
public func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
