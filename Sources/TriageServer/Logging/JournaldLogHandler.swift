import CSystemd
import Foundation
import Logging

/// Sends structured records to journald with `sd_journal_sendv` (the variadic
/// `sd_journal_send` cannot be called from Swift). Metadata keys become
/// upper-case journal fields, so `journalctl REQUEST_ID=…` finds a request.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let levelControl: LogLevelControl
    private let fallback: LogfmtLogHandler

    public init(label: String, levelControl: LogLevelControl) {
        self.label = label
        self.levelControl = levelControl
        self.fallback = LogfmtLogHandler(label: label, levelControl: levelControl)
    }

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
        let fields = JournalFields.make(
            message: event.message.description, level: event.level, label: label, metadata: merged,
            file: event.file, line: event.line, function: event.function
        )
        if !Self.send(fields) {
            // journald went away (or never was): stderr still reaches systemd's stream.
            fallback.log(event: event)
        }
    }

    private static func send(_ fields: [String]) -> Bool {
        // One contiguous buffer so every iovec points into memory that stays valid for the call.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = bytes.count
            bytes.append(contentsOf: field.utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeMutableBytes { buffer in
            let iovecs = ranges.map { range in
                iovec(iov_base: buffer.baseAddress.map { $0 + range.lowerBound }, iov_len: range.count)
            }
            return iovecs.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) >= 0 }
        }
    }
}

/// The `FIELD=value` strings of one journal entry.
enum JournalFields {
    static func make(
        message: String, level: Logger.Level, label: String, metadata: Logger.Metadata,
        file: String, line: UInt, function: String
    ) -> [String] {
        var fields = [
            "MESSAGE=\(SingleLine.make(message))",
            "PRIORITY=\(priority(level))",
            "SYSLOG_IDENTIFIER=triaged",
            "LOGGER=\(label)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for key in metadata.keys.sorted() {
            guard let value = metadata[key], let name = fieldName(key) else { continue }
            fields.append("\(name)=\(SingleLine.make(LogfmtFormatter.render(value)))")
        }
        return fields
    }

    /// syslog priorities: swift-log has no `alert`/`emerg`, and `trace` is as low as `debug`.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Journal field names: upper-case letters, digits and underscores, not starting
    /// with an underscore (those are trusted fields journald sets itself).
    /// `hb.request.id` → `HB_REQUEST_ID`.
    static func fieldName(_ key: String) -> String? {
        var name = ""
        for scalar in key.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) {
                name += String(scalar).uppercased()
            } else {
                name += "_"
            }
        }
        while name.hasPrefix("_") { name.removeFirst() }
        guard let first = name.first, !first.isNumber else { return nil }
        let reserved: Set = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER"]
        return reserved.contains(name) ? "META_" + name : String(name.prefix(64))
    }
}
