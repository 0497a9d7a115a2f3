/// The settings bound to resources opened once at start-up: listeners, the
/// store, the JWT key, bcrypt's cost, AsyncHTTPClient's timeouts. A reload
/// reports their change and keeps the running value, so status and the next
/// reload stay truthful. The only list of them.
enum RestartOnlySettings {
    typealias KeepRunningValue = @Sendable (_ new: inout Settings, _ running: Settings) -> Void

    static let keys: [SettingKey: KeepRunningValue] = [
        .httpHost: keep(\.httpHost),
        .httpPort: keep(\.httpPort),
        .httpIdleTimeout: keep(\.httpIdleTimeout),
        .httpDrainTimeout: keep(\.httpDrainTimeout),
        .controlSocket: keep(\.controlSocket),
        .databaseURL: keep(\.database),
        .databaseSynchronous: keep(\.databaseSynchronous),
        // Both stores fix it when they open (SQLite's busy timeout, PostgreSQL's statement_timeout and client timer).
        .databaseTimeout: keep(\.databaseTimeout),
        .databasePoolSize: keep(\.databasePoolSize),
        .authJWTSecret: keep(\.jwtSecret),
        .authBcryptCost: keep(\.bcryptCost),
        .externalConnectTimeout: keep(\.externalConnectTimeout),
        .externalReadTimeout: keep(\.externalReadTimeout),
        .externalWriteTimeout: keep(\.externalWriteTimeout),
    ]

    private static func keep<Value: Sendable>(_ path: any WritableKeyPath<Settings, Value> & Sendable) -> KeepRunningValue {
        { new, running in new[keyPath: path] = running[keyPath: path] }
    }
}

extension Settings {
    /// These settings, with every restart-only value taken from `running`.
    func keepingRestartOnlyValues(of running: Settings) -> Settings {
        var effective = self
        for keep in RestartOnlySettings.keys.values { keep(&effective, running) }
        return effective
    }
}
