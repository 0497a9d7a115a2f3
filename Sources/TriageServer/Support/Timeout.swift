/// The operation did not finish in time.
public struct TimeoutError: Error, CustomStringConvertible, Sendable {
    public let after: Duration
    public var description: String { "timed out after \(after)" }
}

/// Runs `operation`, cancelling it and throwing `TimeoutError` when it outlasts `timeout`.
public func withTimeout<Value: Sendable, C: Clock<Duration>>(
    _ timeout: Duration,
    clock: C = ContinuousClock(),
    operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await clock.sleep(for: timeout)
            throw TimeoutError(after: timeout)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
