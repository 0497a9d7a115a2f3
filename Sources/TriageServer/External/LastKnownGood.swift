import Foundation
import NIOCore
import Synchronization

/// The last successful upstream body, in memory and in the store so a
/// restart still has something better than the default to fall back on.
public final class LastKnownGood: Sendable {
    public struct Snapshot: Sendable {
        public let body: ByteBuffer
        public let fetchedAt: Date
    }

    private let current = Mutex<Snapshot?>(nil)
    /// When the stored copy was last written: an unchanged body is written again
    /// only this often, so a busy route does not write to the database on every call.
    private let storedAt = Mutex<Date?>(nil)
    static let rewriteInterval: TimeInterval = 60
    private let store: any ExternalSnapshotRepository

    public init(store: any ExternalSnapshotRepository) {
        self.store = store
    }

    /// Reads the stored snapshot for `url` (at start-up).
    public func load(url: URL) async throws(RepositoryError) {
        guard let stored = try await store.snapshot(url: url.absoluteString) else { return }
        current.withLock { $0 = Snapshot(body: ByteBuffer(bytes: stored.body), fetchedAt: stored.fetchedAt) }
    }

    public var snapshot: Snapshot? { current.withLock { $0 } }

    public func remember(_ body: ByteBuffer, url: URL, at date: Date) async throws(RepositoryError) {
        let unchanged = current.withLock { current in
            defer { current = Snapshot(body: body, fetchedAt: date) }
            return current?.body == body
        }
        let lastWrite = storedAt.withLock { $0 }
        if unchanged, let lastWrite, date.timeIntervalSince(lastWrite) < Self.rewriteInterval { return }
        try await store.save(url: url.absoluteString, body: Data(body.readableBytesView), at: date)
        storedAt.withLock { $0 = date }
    }
}

/// Where the last good upstream body survives restarts.
public protocol ExternalSnapshotRepository: Sendable {
    func snapshot(url: String) async throws(RepositoryError) -> (body: Data, fetchedAt: Date)?
    func save(url: String, body: Data, at: Date) async throws(RepositoryError)
}
