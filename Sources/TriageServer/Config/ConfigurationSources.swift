import Foundation

/// Everything settings are read from, captured once so a reload re-reads the
/// same sources (flags and environment stay; the file is read again).
public struct ConfigurationSources: Sendable {
    /// Values given as command-line flags, by key; the highest precedence.
    public var flags: [SettingKey: String]
    public var environment: [String: String]
    /// `--config PATH`; when nil the systemd configuration directory is looked at.
    public var explicitConfigFile: String?

    public init(flags: [SettingKey: String] = [:], environment: [String: String], explicitConfigFile: String? = nil) {
        self.flags = flags
        self.environment = environment
        self.explicitConfigFile = explicitConfigFile
    }

    /// The file to read: `--config`, else `$CONFIGURATION_DIRECTORY/triaged.yaml` unless
    /// it is absent. A file that is there but cannot be reached (a directory or file
    /// the daemon's user may not read, a symlink loop) is returned all the same, so
    /// reading it fails with exit 78 naming the path and the reason instead of the
    /// daemon quietly running on its defaults.
    public var configFile: String? {
        if let explicitConfigFile { return explicitConfigFile }
        guard let directory = Self.firstDirectory(environment["CONFIGURATION_DIRECTORY"]) else { return nil }
        let candidate = directory + "/triaged.yaml"
        return FileContents.isAbsent(candidate) ? nil : candidate
    }

    /// systemd passes `RuntimeDirectory=` and friends as a colon-separated list.
    static func firstDirectory(_ value: String?) -> String? {
        guard let value, let first = value.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }

    var runtimeDirectory: String? { Self.firstDirectory(environment["RUNTIME_DIRECTORY"]) }
    public var stateDirectory: String? { Self.firstDirectory(environment["STATE_DIRECTORY"]) }
    /// Where systemd put this service's credentials (one file per credential).
    var credentialsDirectory: String? { Self.firstDirectory(environment["CREDENTIALS_DIRECTORY"]) }

    /// Where generated state (SQLite file, JWT secret) goes when systemd gives no directory.
    public static let fallbackDataDirectory = "./triage-data"
}
