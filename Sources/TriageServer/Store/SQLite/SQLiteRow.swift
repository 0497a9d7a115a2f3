import GRDB

/// GRDB's rows read through `StoreRow`: a missing column or a wrong type is an error, not a crash.
extension Row: StoreRow {
    func int64(_ column: String) throws -> Int64 { try decode(Int64.self, forColumn: column) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(Int64?.self, forColumn: column) }
    func string(_ column: String) throws -> String { try decode(String.self, forColumn: column) }
    func optionalString(_ column: String) throws -> String? { try decode(String?.self, forColumn: column) }
    func double(_ column: String) throws -> Double { try decode(Double.self, forColumn: column) }
}

extension Database {
    /// The statement compiled once per connection and kept: compiling (SQLite's parser and
    /// GRDB's authorizer) cost more than running most of our statements.
    func statement(_ shared: SharedStatement) throws -> Statement {
        try cachedStatement(sql: shared.sqlite)
    }
}

extension Row {
    /// A list's statement: one text per filter combination and page form, each compiled once per connection.
    static func fetchAll(_ db: Database, _ bound: BoundStatement) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: bound.sql), arguments: StatementArguments(bound.values))
    }
}

extension StatementArguments {
    init(_ values: [StoreValue]) {
        self.init(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .integer(let number): number
            case .text(let text): text
            }
        })
    }
}

/// Rows of one result read by column position, each name's position looked up once
/// per result: GRDB's lookup by name lowercases both names on every read, which was
/// a sixth of a 20-issue page's time in perf.
struct SQLitePositionedRow: StoreRow {
    let row: Row
    let positions: [String: Int]

    private func position(_ column: String) throws -> Int {
        guard let position = positions[column] else { throw RepositoryError.unavailable("the result has no column \(column)") }
        return position
    }

    func int64(_ column: String) throws -> Int64 { try row.decode(Int64.self, atIndex: position(column)) }
    func optionalInt64(_ column: String) throws -> Int64? { try row.decode(Int64?.self, atIndex: position(column)) }
    func string(_ column: String) throws -> String { try row.decode(String.self, atIndex: position(column)) }
    func optionalString(_ column: String) throws -> String? { try row.decode(String?.self, atIndex: position(column)) }
    func double(_ column: String) throws -> Double { try row.decode(Double.self, atIndex: position(column)) }
}

extension Array where Element == Row {
    /// Maps the rows of one result, reading columns by position.
    func mapPositioned<Value>(_ transform: (SQLitePositionedRow) throws -> Value) throws -> [Value] {
        guard let first else { return [] }
        let positions = Dictionary(first.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { earlier, _ in earlier })
        return try map { try transform(SQLitePositionedRow(row: $0, positions: positions)) }
    }
}
