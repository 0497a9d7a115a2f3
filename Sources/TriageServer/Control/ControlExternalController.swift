import Hummingbird
import TriageControlAPI

/// `POST /v1/external/reset`: close the circuit breaker by hand.
struct ControlExternalController {
    let breaker: CircuitBreaker

    func addRoutes(to router: Router<ControlRequestContext>) {
        router.post(RouterPath(ControlPath.externalReset)) { _, _ in
            breaker.reset()
            return try encoded(ExternalResetResponse(breaker: breaker.state.rawValue))
        }
    }
}
