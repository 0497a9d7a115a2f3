/// `PUT /v1/log-level` body.
public struct LogLevelRequest: Codable, Sendable, Equatable {
    public var level: String

    public init(level: String) {
        self.level = level
    }
}

/// `PUT /v1/log-level` answer.
public struct LogLevelResponse: Codable, Sendable, Equatable {
    public var level: String
    public var previous: String

    public init(level: String, previous: String) {
        self.level = level
        self.previous = previous
    }
}

/// The levels swift-log knows, in the spelling the API accepts.
public enum LogLevelName {
    public static let all = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
