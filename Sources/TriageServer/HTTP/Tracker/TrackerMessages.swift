import Foundation
import Hummingbird

/// Request and response bodies of the tracker routes (DESIGN §3).
struct CredentialsRequest: Decodable {
    var username: String
    var password: String
}

struct TokenResponse: ResponseEncodable {
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
}

struct RoleChangeRequest: Decodable {
    var role: String
}

struct CreateIssueRequest: Decodable {
    var title: String
    var description: String
    var priority: String?
    var assigneeId: Int64?
}

/// A partial update: absent fields stay; `"assigneeId": null` unassigns.
struct UpdateIssueRequest: Decodable {
    var title: String?
    var description: String?
    var status: String?
    var priority: String?
    var assigneeId: Int64??

    enum CodingKeys: String, CodingKey {
        case title, description, status, priority, assigneeId
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        priority = try container.decodeIfPresent(String.self, forKey: .priority)
        if container.contains(.assigneeId) {
            assigneeId = .some(try container.decodeNil(forKey: .assigneeId) ? nil : try container.decode(Int64.self, forKey: .assigneeId))
        }
    }
}

struct CommentRequest: Decodable {
    var content: String
}

extension User: ResponseEncodable {}
extension Issue: ResponseEncodable {}
extension Comment: ResponseEncodable {}
extension Page: ResponseEncodable {}
