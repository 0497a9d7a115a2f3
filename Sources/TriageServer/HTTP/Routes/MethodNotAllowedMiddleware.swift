import HTTPTypes
import Hummingbird

/// RFC 9110 §15.5.6: a declared path asked with a method it does not have is
/// 405 with `Allow` listing the ones it has, not 404 (which says the path
/// does not exist at all).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = TriageRequestContext
    let routes: PublicRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == Self.unmatched {
            let allowed = routes.methods(forPath: Substring(request.uri.path))
            guard !allowed.isEmpty else { throw error }
            throw HTTPProblem(
                .methodNotAllowed, detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")) only.",
                headers: [.allow: allowed.joined(separator: ", ")]
            )
        }
    }

    /// What Hummingbird's router records as the endpoint when no route matched.
    private static let unmatched = "NotFound"
}
