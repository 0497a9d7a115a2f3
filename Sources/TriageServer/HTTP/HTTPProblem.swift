import Foundation
import Hummingbird
import TriageControlAPI

/// The one error type routes throw; rendered once, as an RFC 9457
/// `application/problem+json` document, by `ProblemMiddleware`.
public struct HTTPProblem: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let title: String
    public let detail: String
    public let type: String
    public let headers: HTTPFields
    public var command: String?

    public init(
        _ status: HTTPResponse.Status, title: String? = nil, detail: String, type: String = "about:blank", headers: HTTPFields = [:],
        command: String? = nil
    ) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
        self.headers = headers
        self.command = command
    }

    public var document: ProblemDocument {
        ProblemDocument(type: type, title: title, status: status.code, detail: detail, command: command)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = ProblemDocument.mediaType
        let body = (try? JSONEncoder().encode(document)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
