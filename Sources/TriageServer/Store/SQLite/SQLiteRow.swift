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

/// A row of a result read by column position. The position of a name is found
/// by comparing it with the result's column names, starting after the column
/// read last: mappers read columns in the table's order, so nearly every lookup
/// is one comparison of two short strings. (GRDB's lookup by name lowercases
/// both names on every read, a sixth of a 20-issue page's time in perf; a
/// dictionary of positions built per result still cost a twentieth in hashing.)
/// A result naming a column twice is searched from its start every time, so the
/// first of the two is read, as by name.
struct SQLitePositionedRow: StoreRow {
    let row: Row
    let columns: SQLiteColumnLookup

    func int64(_ column: String) throws -> Int64 { try row.decode(Int64.self, atIndex: columns.position(column)) }
    func optionalInt64(_ column: String) throws -> Int64? { try row.decode(Int64?.self, atIndex: columns.position(column)) }
    func string(_ column: String) throws -> String { try row.decode(String.self, atIndex: columns.position(column)) }
    func optionalString(_ column: String) throws -> String? { try row.decode(String?.self, atIndex: columns.position(column)) }
    func double(_ column: String) throws -> Double { try row.decode(Double.self, atIndex: columns.position(column)) }
}

/// The column names of one result and where the last lookup ended. A class so the
/// rows of one result share the hint; it lives on the stack of one `mapRows` call,
/// on one thread.
final class SQLiteColumnLookup {
    private let names: [String]
    private let hints: Bool
    private var next = 0

    init(_ names: [String]) {
        self.names = names
        hints = Set(names).count == names.count
    }

    func position(_ column: String) throws -> Int {
        if hints, next < names.count, names[next] == column {
            next += 1
            return next - 1
        }
        guard let position = names.firstIndex(of: column) else { throw RepositoryError.unavailable("the result has no column \(column)") }
        next = position + 1
        return position
    }
}

extension Statement {
    /// Every row of the result, each mapped while the statement stands on it (read by
    /// position, not copied first as `Row.fetchAll` copies every value). The cursor
    /// outlives each transform: its rows read the statement, which it resets when it goes.
    func mapRows<Value>(_ arguments: StatementArguments, _ transform: (SQLitePositionedRow) throws -> Value) throws -> [Value] {
        let columns = SQLiteColumnLookup(columnNames)
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        return try withExtendedLifetime(cursor) {
            var values: [Value] = []
            while let row = try cursor.next() {
                values.append(try transform(SQLitePositionedRow(row: row, columns: columns)))
            }
            return values
        }
    }

    /// The first row of the result, mapped as `mapRows` maps them.
    func mapFirstRow<Value>(_ arguments: StatementArguments, _ transform: (SQLitePositionedRow) throws -> Value) throws -> Value? {
        let columns = SQLiteColumnLookup(columnNames)
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        return try withExtendedLifetime(cursor) {
            try cursor.next().map { try transform(SQLitePositionedRow(row: $0, columns: columns)) }
        }
    }
}

extension Database {
    /// A list's statement (one text per filter combination and page form, compiled once per connection), mapped by `mapRows`.
    func mapRows<Value>(_ bound: BoundStatement, _ transform: (SQLitePositionedRow) throws -> Value) throws -> [Value] {
        try cachedStatement(sql: bound.sql).mapRows(StatementArguments(bound.values), transform)
    }
}
