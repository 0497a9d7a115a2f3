import Prometheus

/// Why an unauthenticated attempt was turned away before its password was checked,
/// and how much of each limit is in use: what an operator graphs to tell an attack
/// from a misconfigured proxy.
public struct AuthMetrics: Sendable {
    public enum Rejection: String, Sendable, CaseIterable {
        /// The client address used up `auth.attemptBurst` (429).
        case addressRate = "address-rate"
        /// The username is locked after failures, or one check for it is in flight (429).
        case userThrottle = "user-throttle"
        /// `auth.hashQueue` password checks are already running or waiting (503).
        case hashQueue = "hash-queue"
    }

    private let rejections: [Rejection: Counter]
    private let passwordWork: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        rejections = registry.makeCounters(
            "triage_auth_rejections_total", help: "Sign-ups and logins refused before the password was checked, by reason.",
            label: "reason", values: Rejection.allCases
        )
        passwordWork = registry.makeGauge(
            descriptor: .named("triage_auth_password_checks_in_flight", help: "Password hashes and checks running or waiting (limit: auth.hashQueue).")
        )
    }

    func rejected(_ reason: Rejection) { rejections[reason]?.increment() }
    func passwordChecks(inFlight count: Int) { passwordWork.set(to: Double(count)) }
}
