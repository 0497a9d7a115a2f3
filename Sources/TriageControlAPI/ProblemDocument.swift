/// RFC 9457 problem document, the error body of both the public and the control API.
public struct ProblemDocument: Codable, Sendable, Equatable, Error {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String

    public init(type: String = "about:blank", title: String, status: Int, detail: String) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
    }

    public static let mediaType = "application/problem+json"
}
