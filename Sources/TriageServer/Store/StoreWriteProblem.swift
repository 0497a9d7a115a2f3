/// Why the store refuses writes while it still serves reads. Each is a state
/// the daemon is in, not a failure of one request: it is logged and put in
/// `STATUS=` when it begins and when it ends, and answered 503 meanwhile.
public enum StoreWriteProblem: Sendable, Equatable, CustomStringConvertible {
    /// The path no longer leads to the file the store writes (deleted, replaced,
    /// made unreadable): a write now would be acknowledged into a file no one
    /// opens again. A restart opens the path anew.
    case fileDiverged(String)
    /// The filesystem holding the database has no space left; writes work again
    /// once there is, with no restart.
    case diskFull(String)

    /// The operator's words: which file, what happened.
    public var description: String {
        switch self {
        case .fileDiverged(let reason): return reason
        case .diskFull(let path): return "the disk holding \(path) is full"
        }
    }

    /// A client's words: what happened, without paths.
    var clientDetail: String {
        switch self {
        case .fileDiverged:
            return "The database cannot take writes: its file was deleted, replaced or made inaccessible while the server ran; reads of what it already holds still work."
        case .diskFull:
            return "The database cannot take writes: the disk is full; reads still work."
        }
    }
}
