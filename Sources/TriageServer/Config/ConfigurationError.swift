/// A configuration problem, reported as one line naming the key; the daemon
/// exits with EX_CONFIG (78) before it ever reports readiness.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The key (or `config` for the file itself) the problem belongs to.
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public init(_ key: SettingKey, _ problem: String) {
        self.init(key: key.rawValue, problem: problem)
    }

    /// Always one line, whatever a parser (Yams writes several) or a value put in it:
    /// it is stderr's last word before exit 78, the journal's message and a `STATUS=` line.
    public var description: String { SingleLine.make("invalid configuration: \(key): \(problem)") }
}
