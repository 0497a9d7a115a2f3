import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A test client that appends every exchange to `TRIAGE_RESPONSE_LOG` (one JSON
/// object per line) when that is set, as `scripts/run-tests` does: afterwards
/// `scripts/check-responses` validates each recorded response against the API
/// document, so every status and body the unit tests saw is documented.
struct RecordingClient: TestClientProtocol {
    let base: any TestClientProtocol
    let log: String?

    var port: Int? { base.port }

    static let logPath = ProcessInfo.processInfo.environment["TRIAGE_RESPONSE_LOG"].flatMap { $0.isEmpty ? nil : $0 }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        if let log { try append(Exchange(uri: uri, method: method, response: response), to: log) }
        return response
    }

    private struct Exchange: Encodable {
        let method: String
        let path: String
        let status: Int
        let contentType: String?
        let allow: String?
        let body: String

        init(uri: String, method: HTTPRequest.Method, response: TestResponse) {
            self.method = method.rawValue
            path = String(uri.prefix { $0 != "?" })
            status = response.status.code
            contentType = response.headers[.contentType]
            allow = response.headers[.allow]
            body = String(buffer: response.body)
        }
    }

    /// One `write` per line on an `O_APPEND` descriptor: parallel tests never interleave within a line.
    private func append(_ exchange: Exchange, to path: String) throws {
        var line = try JSONEncoder().encode(exchange)
        line.append(UInt8(ascii: "\n"))
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw CocoaError(.fileWriteUnknown) }
    }
}
