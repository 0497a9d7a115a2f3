/// RFC 9457 problem document, the error body of both the public and the control API.
public struct ProblemDocument: Codable, Sendable, Equatable, Error {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// An extension member (RFC 9457 §3.2): a shell command that does what was asked where
    /// Triage will not, e.g. `pg_dump` for a PostgreSQL backup. Absent otherwise.
    public var command: String?

    public init(type: String = "about:blank", title: String, status: Int, detail: String, command: String? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.command = command
    }

    public static let mediaType = "application/problem+json"
}
