/// The two SQL dialects the stores speak, and the few words in which the
/// schema's text differs between them.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// What a `{token}` in a migration's shared text becomes.
    func word(for token: String) -> String? {
        switch (token, self) {
        // SQLite's rowid alias must be spelled exactly INTEGER PRIMARY KEY.
        case ("id", .sqlite): return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case ("id", .postgres): return "BIGSERIAL PRIMARY KEY"
        case ("int", .sqlite): return "INTEGER"
        case ("int", .postgres): return "BIGINT"
        case ("real", .sqlite): return "REAL"
        case ("real", .postgres): return "DOUBLE PRECISION"
        case ("blob", .sqlite): return "BLOB"
        case ("blob", .postgres): return "BYTEA"
        // The issue list's order. SQLite ends every index with the rowid (= id) already.
        case ("newest", .sqlite): return "created_at"
        case ("newest", .postgres): return "created_at, id"
        default: return nil
        }
    }
}
