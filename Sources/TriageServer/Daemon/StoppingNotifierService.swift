import ServiceLifecycle

/// Sends STOPPING=1 the moment a graceful shutdown starts. It is the last
/// service in the group, so it is the first one told to stop, before the
/// listeners begin draining.
struct StoppingNotifierService: Service {
    let notifier: any SystemdNotifier

    func run() async throws {
        // Throws only on cancellation, which means the group is going away anyway.
        try? await gracefulShutdown()
        notifier.stopping(status: "Stopping: draining in-flight requests")
    }
}
