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

/// `priority` may be absent (MEDIUM) but not null; `assigneeId` may be either.
struct CreateIssueRequest: Decodable {
    var title: String
    var description: String
    var priority: String?
    var assigneeId: Int64?

    enum CodingKeys: String, CodingKey {
        case title, description, priority, assigneeId
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decode(String.self, forKey: .description)
        priority = try container.decodeUnlessAbsent(String.self, forKey: .priority)
        assigneeId = try container.decodeIfPresent(Int64.self, forKey: .assigneeId)
    }
}

/// A partial update: absent fields stay; `"assigneeId": null` unassigns; any other null is refused.
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
        title = try container.decodeUnlessAbsent(String.self, forKey: .title)
        description = try container.decodeUnlessAbsent(String.self, forKey: .description)
        status = try container.decodeUnlessAbsent(String.self, forKey: .status)
        priority = try container.decodeUnlessAbsent(String.self, forKey: .priority)
        if container.contains(.assigneeId) {
            assigneeId = .some(try container.decodeNil(forKey: .assigneeId) ? nil : try container.decode(Int64.self, forKey: .assigneeId))
        }
    }
}

struct CommentRequest: Decodable {
    var content: String
}

// Users, issues, comments and their pages answer through `JSONWritable` (HTTP/JSON).

extension KeyedDecodingContainer {
    /// nil when the key is absent; a null is refused as the wrong type ("must be a string, not null"),
    /// because the API document allows null only where it says so.
    func decodeUnlessAbsent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        contains(key) ? try decode(type, forKey: key) : nil
    }
}
