import NIOCore
@testable import TriageServer

/// Request bodies: the first byte picks the body type, the rest is the JSON.
/// Decoding and the routes' validation must end in a value or a 400 problem.
enum JSONBodyFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        guard let selector = input.first else { return }
        let buffer = ByteBuffer(bytes: input.dropFirst())
        do {
            switch selector % 6 {
            case 0:
                let body = try RequestInput.decode(CredentialsRequest.self, json: buffer)
                _ = try TrackerValidation.username(body.username)
                _ = try TrackerValidation.password(body.password)
            case 1:
                let body = try RequestInput.decode(CreateIssueRequest.self, json: buffer)
                _ = try TrackerValidation.title(body.title)
                _ = try TrackerValidation.text(body.description, field: "description", allowEmpty: true)
                _ = try body.priority.map { try RequestInput.enumValue($0, field: "priority", as: IssuePriority.self) }
            case 2:
                let body = try RequestInput.decode(UpdateIssueRequest.self, json: buffer)
                _ = try body.title.map(TrackerValidation.title)
                _ = try body.status.map { try RequestInput.enumValue($0, field: "status", as: IssueStatus.self) }
            case 3:
                let body = try RequestInput.decode(CommentRequest.self, json: buffer)
                _ = try TrackerValidation.text(body.content, field: "content", allowEmpty: false)
            case 4:
                let body = try RequestInput.decode(RoleChangeRequest.self, json: buffer)
                _ = try RequestInput.enumValue(body.role, field: "role", as: Role.self)
            default:
                _ = try RequestInput.decode(UpdateIssueRequest.self, json: buffer)
            }
        } catch let problem as HTTPProblem {
            guard problem.status == .badRequest else {
                throw FuzzFinding("\(String(fuzzInput: input).debugDescription): answered \(problem.status.code), not 400")
            }
        } catch {
            throw FuzzFinding("\(String(fuzzInput: input).debugDescription): \(type(of: error)) escaped the 400 mapping: \(error)")
        }
    }
}
