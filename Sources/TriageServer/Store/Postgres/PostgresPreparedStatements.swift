import PostgresNIO

/// A statement prepared on each pooled connection, its rows read by column name,
/// with the same text and bindings unnamed to fall back on (`PostgresDatabase.execute`).
protocol PostgresPreparedQuery: PostgresPreparedStatement where Row == PostgresRandomAccessRow {}

extension PostgresPreparedQuery {
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }

    /// The same statement, unnamed: parsed and planned for this execution alone.
    func unnamed() throws -> PostgresQuery {
        PostgresQuery(unsafeSQL: Self.sql, binds: try makeBindings())
    }
}

/// The fixed statements the busiest routes run, prepared: each pooled connection
/// parses and plans one once (on its first use) and then only binds and executes
/// it. Unnamed, a statement is planned on every execution, and the issues table
/// has an index per filter combination for the planner to weigh: pgbench's
/// `SELECT * FROM issues WHERE id = $1` at 32 clients ran 22,000 times a second
/// unnamed (`-M extended`), 67,000 prepared. (Lists stay unnamed: their text
/// depends on the filters, and a prepared statement's text is fixed per type.)
enum PostgresPrepared {
    /// `GET /api/issues/{id}`.
    struct IssueByID: PostgresPreparedQuery {
        static let sql = StoreSQL.Issues.byID.postgres
        let id: IssueID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(id)
            return bindings
        }
    }

    /// Today's live count (`LiveDailyStats`), up to once a request: planning its three
    /// subqueries costs the server about as much as running them on an hour's rows.
    struct WindowCounts: PostgresPreparedQuery {
        static let sql = StoreSQL.Stats.windowCounts.postgres
        let dayStart: Int64
        let from: Int64
        let end: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(dayStart)
            bindings.append(from)
            bindings.append(end)
            return bindings
        }
    }

    /// The totals of `GET /api/issues` with no filter but `status`.
    struct StatusCounts: PostgresPreparedQuery {
        static let sql = ListSQL.statusCounts.postgres

        func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    }
}
