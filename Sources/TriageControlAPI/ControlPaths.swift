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
}

extension ControlPath {
    public static let caches = "/v1/caches"
    public static let cachesFlush = "/v1/caches/flush"
}

extension ControlPath {
    public static let externalReset = "/v1/external/reset"
}
