import Foundation

/// Routes of the control API served on the Unix socket. The CLI and the daemon
/// both use these constants so a renamed route cannot drift between them.
public enum ControlPath {
    public static let status = "/v1/status"
    public static let logLevel = "/v1/log-level"
    public static let reload = "/v1/reload"
}

/// The version both executables report.
public enum TriageVersion {
    public static let current = "0.1.0"
}

extension ControlPath {
    public static let users = "/v1/users"
    /// Templates: `{name}` is a username (the daemon's router reads it; `user(_:_:)` fills it in).
    public static let userRole = "/v1/users/{name}/role"
    public static let userPassword = "/v1/users/{name}/password"
    public static let userDisable = "/v1/users/{name}/disable"
    public static let userEnable = "/v1/users/{name}/enable"

    /// A template with the username in place, percent-encoded (names are checked by the daemon, not here).
    public static func user(_ template: String, _ name: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        return template.replacingOccurrences(of: "{name}", with: encoded)
    }
}

extension ControlPath {
    public static let caches = "/v1/caches"
    public static let cachesFlush = "/v1/caches/flush"
}

extension ControlPath {
    public static let externalReset = "/v1/external/reset"
}

/// `POST /v1/backup`: the body is the copy (`application/vnd.sqlite3`), these headers say what it holds.
public enum BackupHeaders {
    public static let mediaType = "application/vnd.sqlite3"
    /// `name=rows` pairs, comma-separated, by table name.
    public static let tables = "X-Triage-Backup-Tables"
    /// How long the copy took in the daemon, seconds.
    public static let seconds = "X-Triage-Backup-Seconds"
    /// `device:inode` of the live database file: the CLI refuses to put the copy over it.
    public static let source = "X-Triage-Backup-Source"
}

extension ControlPath {
    public static let backup = "/v1/backup"
}
