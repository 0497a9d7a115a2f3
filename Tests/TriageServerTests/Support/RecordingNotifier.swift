import Synchronization
@testable import TriageServer

/// Stands in for systemd: records every notification.
final class RecordingNotifier: SystemdNotifier {
    let watchdogInterval: Duration?
    private let messages = Mutex<[String]>([])

    init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    func notify(_ state: String) {
        messages.withLock { $0.append(state) }
    }

    var recorded: [String] { messages.withLock { $0 } }
}
