import Logging
import ServiceLifecycle
import UnixSignals

/// Turns SIGHUP into a reload, like every Unix daemon.
struct ReloadSignalService: Service {
    let reloader: Reloader
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            // A failed reload is logged by the reloader and leaves the old configuration in force.
            _ = try? await reloader.reload()
        }
    }
}
