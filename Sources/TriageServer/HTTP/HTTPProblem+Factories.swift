import Foundation
import Hummingbird

extension HTTPProblem {
    /// 401 with the challenge RFC 6750 asks for.
    static func unauthenticated(_ detail: String, invalidToken: Bool = false) -> HTTPProblem {
        let challenge = invalidToken ? #"Bearer error="invalid_token""# : "Bearer"
        return HTTPProblem(.unauthorized, detail: detail, headers: [.wwwAuthenticate: challenge])
    }

    /// 429 with the whole seconds to wait (at least 1, so a client never retries in a loop).
    static func tooManyRequests(_ detail: String, retryAfter wait: TimeInterval) -> HTTPProblem {
        HTTPProblem(.tooManyRequests, detail: detail, headers: [.retryAfter: String(max(1, Int(wait.rounded(.up))))])
    }

    /// 400 naming the offending field or parameter.
    static func invalid(_ field: String, _ problem: String) -> HTTPProblem {
        HTTPProblem(.badRequest, title: "Invalid request", detail: "\(field): \(problem)")
    }
}

extension DayRange.Problem {
    /// 400: the problem names its parameter.
    var problem: HTTPProblem {
        HTTPProblem(.badRequest, title: "Invalid request", detail: description)
    }
}

extension PasswordQueueFull {
    /// Too many password checks in flight: shed load at once rather than queue behind bcrypt.
    var problem: HTTPProblem {
        HTTPProblem(.serviceUnavailable, detail: "Too many sign-ins are being checked; try again shortly.", headers: [.retryAfter: "1"])
    }
}

extension RepositoryError {
    /// The one place store failures become HTTP answers.
    var problem: HTTPProblem {
        switch self {
        case .notFound:
            return HTTPProblem(.notFound, detail: description)
        case .conflict, .invalidTransition:
            return HTTPProblem(.conflict, detail: description)
        case .invalidReference(let field, _):
            return HTTPProblem.invalid(field, description)
        case .unavailable:
            return HTTPProblem(.serviceUnavailable, detail: "The database is unavailable; try again shortly.", headers: [.retryAfter: "5"])
        case .cannotWrite(let problem):
            // A state that lasts until an operator acts (or space returns): ask for a slower retry.
            return HTTPProblem(.serviceUnavailable, detail: problem.clientDetail, headers: [.retryAfter: "30"])
        }
    }
}
