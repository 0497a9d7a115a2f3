import Hummingbird
import Logging

/// Turns every error leaving the router into a problem document: ours pass
/// through, Hummingbird's (unknown route, body too large, bad JSON) keep their
/// status, anything else is logged and becomes a 500 without internals.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as HTTPProblem {
            return try problem.response(from: request, context: context)
        } catch let error as RepositoryError {
            if case .unavailable(let reason) = error {
                context.logger.error("database unavailable", metadata: ["reason": "\(reason)", "path": "\(request.uri.path)"])
            }
            return try error.problem.response(from: request, context: context)
        } catch let error as PasswordQueueFull {
            return try error.problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return try HTTPProblem(error.status, detail: detail, headers: (error as? HTTPError)?.headers ?? [:])
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try HTTPProblem(.internalServerError, detail: "The server could not complete the request; it has been logged.")
                .response(from: request, context: context)
        }
    }
}
