import Foundation

/// Runs blocking `work` on a thread of its own, for a job that takes seconds (a whole
/// database copied): on `NIOThreadPool.singleton`, whose few threads bcrypt shares, it
/// would hold back every login meanwhile.
func onThreadOfItsOwn<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
