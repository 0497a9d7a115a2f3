import Foundation

/// A consistent copy of the database, made while Triage serves writes.
public struct BackupCopy: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var rows: Int
    }

    public var bytes: Int64
    /// Every table of the copy, by name, with its rows counted in the copy.
    public var tables: [Table]
    public var seconds: Double

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
}

/// Why no copy was made.
public enum BackupError: Error, Equatable, CustomStringConvertible {
    /// The store is copied by its own tools: `command` does it (no password in it).
    case useExternalTool(reason: String, command: String)
    case failed(String)

    public var description: String {
        switch self {
        case .useExternalTool(let reason, let command): return "\(reason); use: \(command)"
        case .failed(let reason): return reason
        }
    }
}
