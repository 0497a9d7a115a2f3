import Foundation
import Logging
import PostgresNIO

/// The connection pool every PostgreSQL repository shares, with the two rules
/// they all follow: no call waits longer than `database.timeout` (it fails as
/// `.unavailable`, which the routes answer with 503 and `Retry-After`), and
/// PostgresNIO's errors become `RepositoryError`s.
struct PostgresDatabase: Sendable {
    let client: PostgresClient
    let timeout: Duration
    let timer: TimeoutTimer
    let logger: Logger

    /// One statement on any pooled connection.
    func query<Value: Sendable>(
        _ query: PostgresQuery, _ read: @escaping @Sendable (PostgresRowSequence) async throws -> Value
    ) async throws(RepositoryError) -> Value {
        try await perform { [client, logger] in
            try await read(try await client.query(query, logger: logger))
        }
    }

    /// A prepared statement (`PostgresPrepared`) on any pooled connection, which prepares
    /// it on its first use. Should the prepared form fail, the statement runs unnamed
    /// within the same `timeout`: a plan PostgreSQL refuses once a newer instance's
    /// migration changed the table under `SELECT *`, or a failed preparation, which
    /// PostgresNIO remembers for the connection's life, costs speed, not answers.
    func execute<Statement: PostgresPreparedQuery, Value: Sendable>(
        _ statement: Statement, _ read: @escaping @Sendable ([PostgresRandomAccessRow]) throws -> Value
    ) async throws(RepositoryError) -> Value {
        try await perform { [client, logger] in
            var rows: [PostgresRandomAccessRow] = []
            do {
                // Read to the end: a connection goes back to the pool only once its answer is consumed.
                for try await row in try await client.execute(statement, logger: logger) { rows.append(row) }
            } catch let error as PSQLError {
                try Task.checkCancellation()
                logger.debug("a prepared statement failed; running it unnamed", metadata: [
                    "statement": "\(Statement.name)", "error": "\(PostgresErrors.explain(error))",
                ])
                rows = try await client.query(try statement.unnamed(), logger: logger).rows()
            }
            return try read(rows)
        }
    }

    /// `body` inside BEGIN … COMMIT on one connection; any error rolls back.
    func transaction<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws(RepositoryError) -> Value {
        try await perform { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in try await body(connection, logger) }
        }
    }

    /// Two independent calls at once, each on its own pooled connection.
    func concurrently<First: Sendable, Second: Sendable>(
        _ first: @escaping @Sendable () async throws(RepositoryError) -> First,
        _ second: () async throws(RepositoryError) -> Second
    ) async throws(RepositoryError) -> (First, Second) {
        // `async let` rethrows untyped; a Result keeps the error's type across it.
        async let started = { () async -> Result<First, RepositoryError> in
            do throws(RepositoryError) { return .success(try await first()) } catch { return .failure(error) }
        }()
        let secondValue = try await second()
        return (try await started.get(), secondValue)
    }

    private func perform<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws(RepositoryError) -> Value {
        do {
            return try await withTimeout(timeout, timer: timer, operation: body)
        } catch let error as TimeoutError {
            throw .unavailable("no answer within \(error.after)")
        } catch {
            throw PostgresErrors.map(error)
        }
    }
}

enum PostgresErrors {
    /// SQLSTATE classes we answer differently from "the database is unavailable".
    static func map(_ error: any Error) -> RepositoryError {
        if let repository = error as? RepositoryError { return repository }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return map(inner) }
            if let inner = transaction.commitError ?? transaction.beginError { return map(inner) }
        }
        if let psql = error as? PSQLError {
            switch psql.serverInfo?[.sqlState] {
            case "23505": return .conflict("already exists")
            case "23503": return .invalidReference(field: "reference", id: 0)
            default: break
            }
        }
        return .unavailable(explain(error))
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension PostgresRowSequence {
    /// Every row, for random access by column name.
    func rows() async throws -> [PostgresRandomAccessRow] {
        try await collect().map { $0.makeRandomAccess() }
    }

    /// Reads the whole answer (a connection must not be reused with rows still pending) and keeps the first row.
    func first() async throws -> PostgresRandomAccessRow? {
        try await rows().first
    }
}
