import GRDB

/// GRDB's rows read through `StoreRow`: a missing column or a wrong type is an error, not a crash.
extension Row: StoreRow {
    func int64(_ column: String) throws -> Int64 { try decode(Int64.self, forColumn: column) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(Int64?.self, forColumn: column) }
    func string(_ column: String) throws -> String { try decode(String.self, forColumn: column) }
    func optionalString(_ column: String) throws -> String? { try decode(String?.self, forColumn: column) }
    func double(_ column: String) throws -> Double { try decode(Double.self, forColumn: column) }
}

extension Row {
    static func fetchAll(_ db: Database, _ bound: BoundStatement) throws -> [Row] {
        try fetchAll(db, sql: bound.sql, arguments: StatementArguments(bound.values))
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
