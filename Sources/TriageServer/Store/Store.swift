/// The database behind Triage. Repositories for users, issues, comments and
/// stats hang off this seam in later work; the daemon itself only needs to
/// open it, know it answers, and close it.
public protocol Store: Sendable {
    /// `sqlite` or `postgres`.
    var kind: String { get }
    /// Where the data lives, safe to log (no credentials).
    var location: String { get }
    /// Whether a restart of this process could fix an outage: true for an
    /// embedded file, false for a remote server. The watchdog checks only local stores.
    var isLocal: Bool { get }
    /// Answers a trivial query or throws.
    func ping() async throws
    /// The newest migration applied.
    func schemaVersion() async throws -> String
    func close() async throws
}
