/// One step of the schema, the same id and the same text on both stores: the
/// shared SQL with `{id}`, `{int}`, `{real}`, `{blob}` and `{newest}` for the words the
/// dialects spell differently, plus statements only one dialect has (an index
/// with INCLUDE, say). Statements are separated by semicolons, none inside a
/// literal or comment: PostgresNIO sends one statement per query.
struct SchemaMigration: Sendable {
    let id: String
    let shared: String
    var only: [SQLDialect: String] = [:]

    func statements(for dialect: SQLDialect) -> [String] {
        let text = render(shared, for: dialect) + ";\n" + (only[dialect] ?? "")
        return text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { statement in
            statement.split(separator: "\n").contains { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    private func render(_ text: String, for dialect: SQLDialect) -> String {
        var result = text
        for token in ["id", "int", "real", "blob", "newest"] {
            if let word = dialect.word(for: token) { result = result.replacingOccurrences(of: "{\(token)}", with: word) }
        }
        return result
    }
}
