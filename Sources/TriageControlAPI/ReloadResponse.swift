/// `POST /v1/reload` answer, sent once the new configuration is in force.
public struct ReloadResponse: Codable, Sendable, Equatable {
    /// Keys whose new value is now in effect.
    public var applied: [String]
    /// Keys whose value changed in the configuration but only takes effect after a restart.
    public var restartRequired: [String]
    public var logLevel: String

    public init(applied: [String], restartRequired: [String], logLevel: String) {
        self.applied = applied
        self.restartRequired = restartRequired
        self.logLevel = logLevel
    }
}
