/// One SQL statement both stores run word for word. It is written with
/// PostgreSQL's `$1`, `$2`… for the bound values; SQLite gets the same text
/// with `?1`, `?2`… (numbered the same way, so a value used twice is bound once).
struct SharedStatement: Sendable {
    let postgres: String
    let sqlite: String

    init(_ text: String) {
        postgres = text
        sqlite = text.replacing(/\$(\d+)/) { "?" + $0.output.1 }
    }
}
