import Foundation
import Synchronization

/// Remembers tokens whose signature already checked out, so a client reusing
/// its token (every client does) costs a dictionary lookup instead of base64,
/// HMAC and JSON on every request. Expiry and the user's current role are
/// still checked on every request; only the signature work is skipped.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        let token: TokenService.VerifiedToken
        let expiresAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounds memory; when full the whole map starts again (cheap, and rare).
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func entry(for token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func remember(_ token: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
