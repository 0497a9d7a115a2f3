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
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await clock.sleep(for: interval)
                    await views.flush()
                }
            }
        } catch is CancellationError {}
        // The loop's last batch has ended (written, or back in memory): write what is left.
        await views.flush()
    }
}
