import ArgumentParser
import TriageControlAPI

/// Why a command did not succeed, and the sysexits code it ends with.
enum ControlClientError: Error, CustomStringConvertible {
    /// No daemon answered on the socket.
    case unreachable(socket: String, reason: String)
    /// The daemon answered with a problem document.
    case refused(ProblemDocument)
    /// The daemon answered something this CLI does not understand.
    case badResponse(String)
    /// The command line was fine for the parser but not usable (e.g. empty stdin).
    case usage(String)
    /// What the command does on this side failed (writing the backup's file).
    case failedHere(String)

    var description: String {
        switch self {
        case .unreachable(let socket, let reason):
            return "cannot reach triaged at \(socket): \(reason)"
        case .refused(let problem):
            return "triaged refused: \(problem.detail) (\(problem.status) \(problem.title))"
        case .badResponse(let detail):
            return "unexpected answer from triaged: \(detail)"
        case .usage(let detail), .failedHere(let detail):
            return detail
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .unreachable: return ExitCode(69)  // EX_UNAVAILABLE
        case .refused, .badResponse, .failedHere: return .failure
        case .usage: return .validationFailure
        }
    }
}
