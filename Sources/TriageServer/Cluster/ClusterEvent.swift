import Foundation

/// What one instance tells the others sharing its database, so that their
/// in-memory state (caches, the user directory) does not serve stale data.
/// Delivery is best effort (PostgreSQL does not replay notifications): cache
/// TTLs and the directory's re-read bound what a lost message can cost.
public enum ClusterEvent: Sendable, Equatable {
    /// Empty the named cache, or every cache when nil.
    case flushCaches(String?)
    /// A user's role changed or the user went away.
    case userChanged(UserID)
    /// Messages may have been missed (the listener reconnected): drop everything derived.
    case resynchronize
}

/// Sends events to the other instances. A single-instance store has nobody to tell.
public protocol ClusterBroadcaster: Sendable {
    func broadcast(_ event: ClusterEvent) async
}

public struct NoClusterBroadcaster: ClusterBroadcaster {
    public init() {}
    public func broadcast(_ event: ClusterEvent) async {}
}

/// The wire form: a small JSON payload, tagged with the sender so an instance ignores its own echo.
struct ClusterMessage: Codable, Equatable {
    var sender: String
    var kind: String
    var cache: String?
    var user: UserID?

    init(sender: String, event: ClusterEvent) {
        self.sender = sender
        switch event {
        case .flushCaches(let name):
            kind = "flush"
            cache = name
        case .userChanged(let id):
            kind = "user"
            user = id
        case .resynchronize:
            kind = "resync"
        }
    }

    var event: ClusterEvent? {
        switch kind {
        case "flush": return .flushCaches(cache)
        case "user": return user.map(ClusterEvent.userChanged)
        case "resync": return .resynchronize
        default: return nil
        }
    }
}
