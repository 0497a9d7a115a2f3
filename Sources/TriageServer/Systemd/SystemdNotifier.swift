import CSystemd
import Foundation

/// What the daemon tells its supervisor. A protocol so tests can record
/// the messages without a `NOTIFY_SOCKET`.
public protocol SystemdNotifier: Sendable {
    func notify(_ state: String)
    /// The interval systemd expects pings at, when it runs a watchdog for us.
    var watchdogInterval: Duration? { get }
}

/// Every `STATUS=` text goes through `SingleLine`: it can carry a database
/// server's words, and a newline in it would be a new notify command.
extension SystemdNotifier {
    public func ready(status: String) { notify("READY=1\nSTATUS=\(SingleLine.make(status))") }
    public func status(_ text: String) { notify("STATUS=\(SingleLine.make(text))") }
    public func stopping(status: String) { notify("STOPPING=1\nSTATUS=\(SingleLine.make(status))") }
    public func watchdogPing() { notify("WATCHDOG=1") }

    /// systemd ≥ 253 needs MONOTONIC_USEC to match a reload with its READY=1; 252 ignores it harmlessly.
    public func reloading(status: String) {
        notify("RELOADING=1\nMONOTONIC_USEC=\(MonotonicTime.nowMicroseconds())\nSTATUS=\(SingleLine.make(status))")
    }
}

/// libsystemd's `sd_notify`; every call is a no-op when `NOTIFY_SOCKET` is unset.
public struct LibsystemdNotifier: SystemdNotifier {
    public init() {}

    public func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        // > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID (if any) is us.
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }
}

enum MonotonicTime {
    static func nowMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1_000
    }
}
