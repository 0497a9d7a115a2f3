import Foundation
import Logging
import Synchronization

/// Writes logfmt lines to a file descriptor (stderr by default), whole lines at a time.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let levelControl: LogLevelControl
    private let sink: LineSink
    private let formatter = LogfmtFormatter()

    public init(label: String, levelControl: LogLevelControl, sink: LineSink = .standardError) {
        self.label = label
        self.levelControl = levelControl
        self.sink = sink
    }

    /// Reads the shared level so a runtime change reaches loggers made before it.
    /// A logger that sets its own level keeps the shared one: the operator's word wins.
    public var logLevel: Logger.Level {
        get { levelControl.current }
        set {}
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        sink.write(formatter.format(date: Date(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }
}

/// Where log lines go; a lock keeps concurrent lines from interleaving.
public final class LineSink: Sendable {
    private let descriptor: Int32
    private let lock = Mutex(())

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public static let standardError = LineSink(descriptor: STDERR_FILENO)

    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // Nowhere left to report a broken stderr.
                    }
                    offset += written
                }
            }
        }
    }
}
