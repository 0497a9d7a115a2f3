import Foundation
import NIOCore

/// The degraded answer: the seed's flat shape, the upstream's fields at the
/// top level beside `status`, `message`, `degraded` and (for a stale copy) `staleSeconds`.
enum FallbackBody {
    /// What the seed answered when it had nothing better.
    static var defaultFields: [String: Any] {
        [
        "userId": 0,
        "id": 0,
        "title": "External data unavailable",
        "body": "The external service could not be reached; this is a default placeholder.",
        ]
    }

    static func make(reason: String, snapshot: LastKnownGood.Snapshot?, now: Date) -> ByteBuffer {
        var fields = defaultFields
        if let snapshot, let stale = try? JSONSerialization.jsonObject(with: Data(snapshot.body.readableBytesView)) as? [String: Any] {
            fields = stale
            fields["staleSeconds"] = max(0, Int(now.timeIntervalSince(snapshot.fetchedAt).rounded()))
        }
        fields["status"] = "fallback"
        fields["degraded"] = true
        fields["message"] = "The upstream service is unavailable (\(reason)); "
            + (snapshot == nil ? "showing default data." : "showing the last good answer.")
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }
}
