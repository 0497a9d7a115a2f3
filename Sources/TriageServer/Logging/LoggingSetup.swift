import Foundation
import Logging

/// Chooses the log destination: journald when stderr is the journal stream
/// systemd gave us, logfmt on stderr otherwise.
public enum LogDestination: Sendable, Equatable {
    case journald
    case logfmt

    /// `JOURNAL_STREAM` is `DEVICE:INODE` of the journal stream; it is inherited by
    /// children whose stderr may be redirected elsewhere, so compare it with our stderr.
    public static func detect(environment: [String: String], standardError: Int32 = STDERR_FILENO) -> LogDestination {
        guard let stream = environment["JOURNAL_STREAM"] else { return .logfmt }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .logfmt }
        var status = stat()
        guard fstat(standardError, &status) == 0 else { return .logfmt }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode ? .journald : .logfmt
    }

    public func makeHandler(label: String, levelControl: LogLevelControl) -> any LogHandler {
        switch self {
        case .journald: return JournaldLogHandler(label: label, levelControl: levelControl)
        case .logfmt: return LogfmtLogHandler(label: label, levelControl: levelControl)
        }
    }
}
