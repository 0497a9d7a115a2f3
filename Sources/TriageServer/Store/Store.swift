import ServiceLifecycle

/// The database behind Triage: its repositories, plus what the daemon needs to
/// know it answers. SQLite and PostgreSQL implement the same contract.
public protocol Store: Sendable {
    var users: any UserRepository { get }
    var issues: any IssueRepository { get }
    var comments: any CommentRepository { get }
    var stats: any StatsRepository { get }
    var externalSnapshots: any ExternalSnapshotRepository { get }
    /// `sqlite` or `postgres`.
    var kind: String { get }
    /// Where the data lives, safe to log (no credentials).
    var location: String { get }
    /// Whether a restart of this process could fix an outage: true for an
    /// embedded file, false for a remote server. The watchdog checks only local stores.
    var isLocal: Bool { get }
    /// Answers a trivial query or throws.
    func ping() async throws
    /// Why the store answers reads but refuses writes now, or nil (`StoreWriteProblem`).
    func writeProblem() -> StoreWriteProblem?
    /// The newest migration applied.
    func schemaVersion() async throws -> String
    func close() async throws
    /// Writes a consistent copy of the whole database to `path` (a new file, mode 0600),
    /// while reads and writes go on; `.useExternalTool` for a store its own tools copy.
    func backup(to path: String) async throws(BackupError) -> BackupCopy
    /// What must run in the daemon's ServiceGroup for the store to work (a
    /// connection pool), or nil for an embedded database.
    var service: (any Service)? { get }
    /// How this instance tells the others sharing the database about changes.
    func clusterBroadcaster(sender: String) -> any ClusterBroadcaster
    /// The service that hears the others, or nil when the database is not shared.
    func clusterListener(sender: String, handler: @escaping @Sendable (ClusterEvent) async -> Void) -> (any Service)?
}

extension Store {
    /// A server database's write failures are its outages, which `ping` reports.
    public func writeProblem() -> StoreWriteProblem? { nil }
    /// An embedded database has no other instances to talk to.
    public func clusterBroadcaster(sender: String) -> any ClusterBroadcaster { NoClusterBroadcaster() }
    public func clusterListener(sender: String, handler: @escaping @Sendable (ClusterEvent) async -> Void) -> (any Service)? { nil }
}
