import PostgresNIO

/// The fixed statements the busiest routes run, prepared: each pooled connection
/// parses and plans one once (on its first use) and then only binds and executes
/// it. Unnamed, a statement is planned on every execution, and the issues table
/// has an index per filter combination for the planner to weigh: pgbench's
/// `SELECT * FROM issues WHERE id = $1` at 32 clients ran 22,000 times a second
/// unnamed (`-M extended`), 67,000 prepared. (Lists stay unnamed: their text
/// depends on the filters, and a prepared statement's text is fixed per type.)
///
/// `SELECT *`: PostgreSQL refuses a prepared plan whose columns changed, so a
/// migration that changes these tables must restart every instance, which a
/// migration does anyway (it runs at start).
enum PostgresPrepared {
    /// `GET /api/issues/{id}`.
    struct IssueByID: PostgresPreparedStatement {
        static let sql = StoreSQL.Issues.byID.postgres
        typealias Row = PostgresRandomAccessRow
        let id: IssueID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
    }

    /// The totals of `GET /api/issues` with no filter but `status`.
    struct StatusCounts: PostgresPreparedStatement {
        static let sql = ListSQL.statusCounts.postgres
        typealias Row = PostgresRandomAccessRow

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
    }
}
