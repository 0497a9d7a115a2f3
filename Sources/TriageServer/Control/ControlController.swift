import Foundation
import Hummingbird
import Logging
import TriageControlAPI

/// The routes `triagectl` drives (DESIGN §5).
struct ControlController {
    let status: StatusReporter
    let levelControl: LogLevelControl
    let reloader: Reloader

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.get(RouterPath(ControlPath.status)) { _, _ in
            try encoded(await status.report())
        }
        router.put(RouterPath(ControlPath.logLevel)) { request, context in
            let body = try await request.decode(as: LogLevelRequest.self, context: context)
            guard let level = Logger.Level(rawValue: body.level.lowercased()) else {
                throw HTTPProblem(.badRequest, detail: "level \"\(body.level)\" is not one of \(LogLevelName.all.joined(separator: ", "))")
            }
            let previous = levelControl.set(level)
            context.logger.notice("log level changed", metadata: ["level": "\(level)", "previous": "\(previous)"])
            return try encoded(LogLevelResponse(level: level.rawValue, previous: previous.rawValue))
        }
        router.post(RouterPath(ControlPath.reload)) { _, _ in
            do {
                return try encoded(try await reloader.reload())
            } catch {
                throw HTTPProblem(.unprocessableContent, title: "Reload failed", detail: "\(error); the previous configuration stays in force")
            }
        }
    }
}

/// The control API's JSON: ISO-8601 dates to the second, which is what
/// `triagectl`'s decoder (Foundation's `.iso8601`) reads.
func controlEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// A 200 answer carrying `value` as control-API JSON.
func encoded(_ value: some Encodable) throws -> Response {
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: try controlEncoder().encode(value)))
    )
}
