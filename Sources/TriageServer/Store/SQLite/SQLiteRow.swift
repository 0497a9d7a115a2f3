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
