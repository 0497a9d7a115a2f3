import Foundation
import Logging
import PostgresNIO
import Testing
import TriageTestSupport
@testable import TriageCron
@testable import TriageServer

/// What only the PostgreSQL store does: migrate once under a lock, refuse a
/// newer schema, report an unreachable server, and lock each day it aggregates.
@Suite(.timeLimit(.minutes(2))) struct PostgresStoreTests {
    let logger = Logger(label: "test")

    private func connect(_ location: PostgresLocation, applicationName: String = "test") async throws -> PostgresConnection {
        try await TestPostgres.connect(location, applicationName: applicationName, logger: logger)
    }

    /// The store with its pool running until `body` returns.
    private func withStore(_ location: PostgresLocation, instance: String = "test:1", _ body: (PostgresStore) async throws -> Void) async throws {
        let store = try await PostgresStore.open(location, timeout: 60, instance: instance, logger: logger)
        let pool = Task { try await store.service?.run() }
        try await scoped(pool, cleanUp: { pool in
            pool.cancel()
            _ = await pool.result
        }) { _ in try await body(store) }
    }

    /// A newer instance's migration changing the issues table makes PostgreSQL refuse the
    /// statements this one prepared with `SELECT *`; reads go on, unnamed.
    @Test func aPreparedStatementTheServerRefusesRunsUnnamed() async throws {
        let location = try await TestPostgres.freshDatabase()
        try await withStore(location) { store in
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let reporter = try await store.users.create(username: "reporter", passwordHash: "hash", role: .member, at: now)
            let issue = try await store.issues.create(
                NewIssue(title: "kept", description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: now
            )
            // Prepare it on as many pooled connections as concurrent reads open.
            let found = try await withThrowingTaskGroup(of: TriageServer.Issue?.self) { group in
                for _ in 0..<8 { group.addTask { try await store.issues.find(id: issue.id) } }
                return try await group.reduce(into: [TriageServer.Issue?]()) { $0.append($1) }
            }
            #expect(found == Array(repeating: issue, count: 8))
            let connection = try await connect(location)
            try await connection.query("ALTER TABLE issues ADD COLUMN added_later integer", logger: logger)
            try await connection.close()
            for _ in 0..<16 { #expect(try await store.issues.find(id: issue.id) == issue) }
            let page = try await store.issues.list(IssueFilter(), PageRequest())
            #expect(page.total == .exact(1))
        }
    }

    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let location = try await TestPostgres.freshDatabase()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for instance in 0..<4 {
                group.addTask {
                    _ = try await PostgresStore.open(location, timeout: 60, instance: "test:\(instance)", logger: logger)
                }
            }
            try await group.waitForAll()
        }
        let connection = try await connect(location)
        let applied = try await connection.query("SELECT id FROM triage_migrations ORDER BY id", logger: logger).decode(String.self)
        var ids: [String] = []
        for try await id in applied { ids.append(id) }
        try await connection.close()
        #expect(ids == SchemaMigrations.all.map(\.id))
        try await withStore(location) { store in
            #expect(try await store.schemaVersion() == SchemaMigrations.all.last?.id)
            try await store.ping()
        }
    }

    @Test func refusesADatabaseFromANewerVersion() async throws {
        let location = try await TestPostgres.freshDatabase()
        _ = try await PostgresStore.open(location, timeout: 60, instance: "test:1", logger: logger)
        let connection = try await connect(location)
        try await connection.query("INSERT INTO triage_migrations (id, applied_at) VALUES ('9999-from-the-future', 0)", logger: logger)
        try await connection.close()
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 60, instance: "test:1", logger: logger)
        } throws: { error in
            guard case StoreError.newerSchema(_, let unknown) = error else { return false }
            return unknown == ["9999-from-the-future"] && (error as? StoreError)?.isConfigurationProblem == true
        }
    }

    @Test func anUnreachableServerIsReportedNotAConfigurationProblem() async throws {
        var location = try TestPostgres.server()
        location.port = 1  // nothing listens there
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 1, instance: "test:1", patience: .zero, logger: logger)
        } throws: { error in
            guard case StoreError.unreachable(_, let reason) = error else { return false }
            return reason.hasPrefix("connection refused") && (error as? StoreError)?.isConfigurationProblem == false
        }
    }

    @Test func aHostNameThatDoesNotResolveIsSaidSo() async throws {
        var location = try TestPostgres.server()
        location.host = "no-such-host.invalid"
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 5, instance: "test:1", patience: .zero, logger: logger)
        } throws: { error in
            guard case StoreError.unreachable(_, let reason) = error else { return false }
            return reason.hasPrefix("cannot resolve the host name")
        }
    }

    @Test func explanationsNameTheCauseOnOneLineWithoutThePassword() async throws {
        var location = try await TestPostgres.freshDatabase()
        location.password = "secret-never-shown"
        location.user = "no_such_role"
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 5, instance: "test:1", patience: .zero, logger: logger)
        } throws: { error in
            let text = "\(error)"
            return text.contains("authentication failed:") && text.contains("no_such_role") && !text.contains("secret-never-shown")
                && !text.contains("\n") && !text.contains("Generic description")
        }
    }

    @Test func sslmodePreferFallsBackToPlainAndRequireDoesNot() async throws {
        // The test server speaks no TLS: prefer connects anyway, as libpq's does; require refuses.
        var location = try await TestPostgres.freshDatabase()
        location.sslMode = .prefer
        try await withStore(location) { store in try await store.ping() }
        location.sslMode = .require
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 1, instance: "test:1", patience: .seconds(30), logger: logger)
        } throws: { error in
            // Refused at once, as a configuration problem: waiting out the patience would not help.
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason == "the server does not offer TLS, but sslmode=require requires it"
        }
    }

    @Test func aMissingDatabaseIsAConfigurationProblem() async throws {
        var location = try TestPostgres.server()
        location.database = "no_such_database"
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 1, instance: "test:1", patience: .seconds(30), logger: logger)
        } throws: { error in
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason.contains(#"database "no_such_database" does not exist"#) && (error as? StoreError)?.isConfigurationProblem == true
        }
    }

    @Test func aWrongPasswordIsAConfigurationProblem() async throws {
        // The test server asks TCP clients for a password (scripts/test-postgres: scram-sha-256).
        var location = try TestPostgres.server()
        location.password = "not-the-password"
        await #expect {
            _ = try await PostgresStore.open(location, timeout: 1, instance: "test:1", patience: .seconds(30), logger: logger)
        } throws: { error in
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason.contains("password authentication failed for user") && (error as? StoreError)?.isConfigurationProblem == true
        }
    }

    @Test func aDayLockedByAnotherInstanceIsSkippedAndNamesIt() async throws {
        let location = try await TestPostgres.freshDatabase()
        try await withStore(location) { store in
            let day = try #require(CivilDate("2026-03-04"))
            let utc = ZonedTime(zone: try #require(TimeZone(identifier: "UTC")))
            let window = DayWindow(date: day, zone: utc)
            let other = try await connect(location, applicationName: "other-host:4242")
            try await other.query("BEGIN", logger: logger)
            try await other.query(
                "SELECT pg_advisory_xact_lock(\(PostgresStatsRepository.dayLockClass), \(Int32(day.daysSinceEpoch)))", logger: logger
            )
            #expect(try await store.stats.aggregate(window, at: Date()) == .heldBy("other-host:4242"))
            #expect(try await store.stats.daily(from: day, to: day).isEmpty, "the skipping side wrote nothing")
            let neighbour = try #require(CivilDate("2026-03-05"))
            guard case .aggregated = try await store.stats.aggregate(DayWindow(date: neighbour, zone: utc), at: Date()) else {
                Issue.record("only the held day is locked")
                return
            }
            try await other.query("COMMIT", logger: logger)
            try await other.close()
            guard case .aggregated(let stats) = try await store.stats.aggregate(window, at: Date()) else {
                Issue.record("the day is free once the holder's transaction ended")
                return
            }
            #expect(stats.date == day)
        }
    }
}
