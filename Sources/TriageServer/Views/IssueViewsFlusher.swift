import ServiceLifecycle

/// Writes `IssueViews`' batch every `interval` and once more at shutdown. In
/// the ServiceGroup after the store (which therefore closes after it) and
/// before the servers (which therefore stop counting views before it stops).
struct IssueViewsFlusher<C: Clock<Duration>>: Service {
    static var interval: Duration { .seconds(1) }

    let views: IssueViews
    let clock: C
    var interval: Duration = Self.interval

    func run() async throws {
        // Only the wait is cancelled by shutdown, never a batch being written: a PostgreSQL
        // statement abandoned mid-flight may still commit, and its views would be kept for
        // the next batch and counted twice.
        while true {
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                break
            }
            await views.flush()
        }
        // The last batch in a task of its own, which no cancellation of this one reaches.
        await Task { await views.flush() }.value
    }
}
