import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/external/example`: the upstream's JSON as it came, or a 200
/// fallback that says it is degraded. Never an error for the caller.
struct ExternalController {
    let client: ExternalClient
    let clock: any WallClock

    // A constant, valid token: the initializer fails only for malformed names.
    static let degradedHeader = HTTPField.Name("X-Triage-Degraded")!

    func addRoutes(to router: DeclaredRouter, _ routes: PublicRoutes) {
        router.add(routes.externalExample) { _, _ -> Response in
            switch await client.fetch() {
            case .fresh(let body):
                return Response(
                    status: .ok, headers: [.contentType: "application/json", Self.degradedHeader: "false"],
                    body: .init(byteBuffer: body)
                )
            case .fallback(let reason, let snapshot):
                return Response(
                    status: .ok, headers: [.contentType: "application/json", Self.degradedHeader: "true"],
                    body: .init(byteBuffer: FallbackBody.make(reason: reason, snapshot: snapshot, now: clock.now()))
                )
            }
        }
    }
}
