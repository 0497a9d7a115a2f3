/// SQLite's `synchronous` for the writer, in WAL mode (`database.synchronous`).
/// Either way a committed write survives the process being killed: it is in
/// the WAL, which the kernel holds. They differ on a power loss or a kernel
/// crash, and in the cost of a commit (README, *Operations → Database*).
public enum SQLiteSynchronous: String, Sendable, Equatable {
    /// The WAL is synced at checkpoints only: a power loss can take the
    /// transactions committed since the last one (never corrupt the file).
    case normal
    /// The WAL is synced at every commit (one fsync per group commit): an
    /// acknowledged write survives a power loss too.
    case full
}
