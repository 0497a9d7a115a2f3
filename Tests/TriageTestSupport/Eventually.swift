/// The one way tests wait for something that happens asynchronously
/// (a notification, a reconnect, a process's output): poll `condition` every
/// `interval` until it holds or `timeout` passes. Conditions, not fixed sleeps,
/// keep a loaded machine from turning a test red.
public func eventually(
    timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    repeat {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    } while ContinuousClock.now < deadline
    return try await condition()
}

/// `eventually` for a value: the first non-nil answer of `probe`, or nil after `timeout`.
public func eventually<T>(
    timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20), _ probe: () async throws -> T?
) async throws -> T? {
    var found: T?
    _ = try await eventually(timeout: timeout, interval: interval) {
        found = try await probe()
        return found != nil
    }
    return found
}
