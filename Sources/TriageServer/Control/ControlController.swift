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
            try await encoded(await status.report())
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

/// JSON with ISO-8601 dates, the control API's encoding.
func encoded(_ value: some Encodable) throws -> Response {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
    )
}
