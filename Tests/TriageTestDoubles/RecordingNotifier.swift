import Synchronization
import TriageServer

/// Stands in for systemd: records every notification.
public final class RecordingNotifier: SystemdNotifier {
    public let watchdogInterval: Duration?
    private let messages = Mutex<[String]>([])

    public init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    public func notify(_ state: String) {
        messages.withLock { $0.append(state) }
    }

    public var recorded: [String] { messages.withLock { $0 } }
}
