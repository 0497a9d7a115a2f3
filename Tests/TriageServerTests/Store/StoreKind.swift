import Foundation
import Logging
import TriageTestSupport
@testable import TriageServer

/// The stores the contract tests run against. PostgreSQL joins when its store lands.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite

    var description: String { rawValue }

    /// A fresh, migrated, empty store and a closure that disposes of it.
    func make() throws -> (store: any Store, dispose: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let store = try SQLiteStore.open(path: directory.file("triage.sqlite"), busyTimeout: 5, logger: Logger(label: "test"))
            return (store, {
                try? await store.close()
                directory.remove()
            })
        }
    }
}
