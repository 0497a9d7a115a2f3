/// Why the store could not be used.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database cannot be opened or created at all.
    case cannotOpen(location: String, reason: String)
    /// The schema was written by a newer Triage: refusing protects its data.
    case newerSchema(location: String, unknownMigrations: [String])
    case migrationFailed(location: String, reason: String)
    /// A database server that did not answer while starting; it may come back.
    case unreachable(location: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let location, let reason):
            return "cannot open the database \(location): \(reason)"
        case .newerSchema(let location, let unknown):
            return "the database \(location) was written by a newer version of Triage (unknown migrations: \(unknown.joined(separator: ", "))); refusing to start"
        case .migrationFailed(let location, let reason):
            return "migrating the database \(location) failed: \(reason)"
        case .unreachable(let location, let reason):
            return "the database \(location) is not reachable: \(reason)"
        }
    }

    /// Problems an operator fixes in the configuration or the deployment (exit 78),
    /// rather than transient faults.
    public var isConfigurationProblem: Bool {
        switch self {
        case .cannotOpen, .newerSchema: return true
        case .migrationFailed, .unreachable: return false
        }
    }
}
