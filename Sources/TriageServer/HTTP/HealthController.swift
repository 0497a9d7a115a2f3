import Hummingbird

/// `/healthz` (the process answers) and `/readyz` (it can serve: listeners up,
/// the store answering within a second and able to take writes, checked on every call).
struct HealthController {
    let readiness: ReadinessTracker
    let store: any Store
    let storeTimeout: Duration

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.healthz) { _, _ in
            jsonResponse(#"{"status":"ok"}"#)
        }
        router.add(routes.readyz) { _, context in
            guard readiness.isReady else {
                throw HTTPProblem(.serviceUnavailable, title: "Not ready", detail: "The daemon is still starting.", headers: [.retryAfter: "1"])
            }
            do {
                try await withTimeout(storeTimeout) { try await store.ping() }
            } catch {
                // Anyone may ask /readyz: the database's own words stay in the log and `triagectl status`.
                context.logger.debug("readiness probe: the database does not answer: \(error)")
                throw HTTPProblem(.serviceUnavailable, title: "Not ready", detail: "The database is unavailable.", headers: [.retryAfter: "1"])
            }
            if let problem = store.writeProblem() {
                throw HTTPProblem(.serviceUnavailable, title: "Not ready", detail: problem.clientDetail, headers: [.retryAfter: "30"])
            }
            return jsonResponse(#"{"status":"ready"}"#)
        }
    }
}

func jsonResponse(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
}
