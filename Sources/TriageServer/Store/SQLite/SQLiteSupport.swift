import Foundation
import GRDB

/// Error mapping shared by the SQLite repositories.
enum SQLiteSupport {
    /// Runs a database call and translates GRDB's errors into `RepositoryError`.
    static func perform<Value: Sendable>(
        _ body: () async throws -> Value
    ) async throws(RepositoryError) -> Value {
        do {
            return try await body()
        } catch let error as RepositoryError {
            throw error
        } catch let error as DatabaseError {
            throw map(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    static func map(_ error: DatabaseError) -> RepositoryError {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return .conflict("already exists")
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return .invalidReference(field: "reference", id: 0)
        default:
            return .unavailable(error.message ?? "\(error.resultCode)")
        }
    }
}
