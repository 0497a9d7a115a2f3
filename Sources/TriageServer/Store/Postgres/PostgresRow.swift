import PostgresNIO

/// PostgresNIO's rows read through `StoreRow`.
extension PostgresRandomAccessRow: StoreRow {
    func int64(_ column: String) throws -> Int64 { try value(column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try value(column, as: Int64?.self) }
    func string(_ column: String) throws -> String { try value(column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try value(column, as: String?.self) }
    func double(_ column: String) throws -> Double { try value(column, as: Double.self) }
}

extension PostgresQuery {
    /// A shared statement with its values bound in order (nil binds NULL).
    init(_ statement: SharedStatement, _ values: (any PostgresDynamicTypeEncodable)?...) {
        self.init(postgresOnly: statement.postgres, values)
    }

    /// A statement only PostgreSQL runs, with its values bound in order (nil binds NULL).
    init(postgresOnly sql: String, _ values: [(any PostgresDynamicTypeEncodable)?]) {
        var bindings = PostgresBindings()
        for value in values {
            if let value { bindings.append(value) } else { bindings.appendNull() }
        }
        self.init(unsafeSQL: sql, binds: bindings)
    }
}

extension PostgresQuery {
    init(_ bound: BoundStatement) {
        var bindings = PostgresBindings()
        for value in bound.values {
            switch value {
            case .integer(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        self.init(unsafeSQL: bound.sql, binds: bindings)
    }
}
