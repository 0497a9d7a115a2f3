/// Polls `condition` every 50 ms until it holds or `timeout` passes: for
/// effects that arrive asynchronously (notifications, reconnects, readiness).
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    repeat {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    } while ContinuousClock.now < deadline
    return false
}
