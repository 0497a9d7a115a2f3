import Hummingbird
import Logging

/// One debug line per request whose message reads on its own
/// ("GET /api/issues -> 200 in 1.4 ms"), with the same facts as fields.
/// Outermost, so it sees the status the problem middleware answered with.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A client picks the path: only this much of it reaches the log.
    static var longestLoggedPath: Int { 200 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= .debug else { return try await next(request, context) }
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), since: started, logger: context.logger)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: Int(status), since: started, logger: context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since started: ContinuousClock.Instant, logger: Logger) {
        let path = String(request.uri.path.prefix(Self.longestLoggedPath))
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.debug("\(request.method) \(path) -> \(status) in \(String(format: "%.1f", milliseconds)) ms", metadata: [
            "hb.request.method": "\(request.method)", "hb.request.path": "\(path)", "http.status": "\(status)",
        ])
    }
}
