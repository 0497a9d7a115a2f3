import Foundation
import Logging
import TriageTestSupport
@testable import TriageServer

/// The stores the contract tests run against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// A fresh, migrated, empty store for the length of `body`, disposed of afterwards.
    func with<Result>(_ body: (any Store) async throws -> Result) async throws -> Result {
        let (store, dispose) = try await make()
        return try await scoped(store, cleanUp: { _ in await dispose() }, body)
    }

    /// A fresh, migrated, empty store and a closure that disposes of it. Its database
    /// timeout is long (60 s): no contract test is about it, and the whole suite
    /// running in parallel on two cores can keep a query waiting for seconds.
    func make() async throws -> (store: any Store, dispose: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let store = try SQLiteStore.open(path: directory.file("triage.sqlite"), busyTimeout: 60, logger: Logger(label: "test"))
            return (store, {
                try? await store.close()
                directory.remove()
            })
        case .postgres:
            let store = try await PostgresStore.open(
                try await TestPostgres.freshDatabase(), timeout: 60, instance: "test:\(getpid())", logger: Logger(label: "test")
            )
            // The pool runs for as long as the test uses the store.
            let pool = Task { try await store.service?.run() }
            return (store, {
                pool.cancel()
                _ = await pool.result
            })
        }
    }
}
