import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import TriageTestSupport
import Prometheus
@testable import TriageServer
import TriageTestDoubles

/// The application as the daemon builds it (`TriageApplication.build`), over a
/// real GRDB store on a temporary file, a manual clock, a scripted upstream, a
/// recording notifier and the cheapest bcrypt.
struct TrackerFixture {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let clock: ManualWallClock
    let application: TriageApplication

    var services: TrackerServices { application.tracker }
    var settings: SettingsHolder { application.settings }
    var external: ExternalClient { application.external.client }

    static let secret = String(repeating: "k", count: 32)

    /// A fixture for the length of `body`; its store and directory are gone afterwards.
    /// `hasher` replaces the cheapest bcrypt, e.g. to count how many checks reach it;
    /// `store` wraps the real store, e.g. to decide its health; `routes` may change a route's rule.
    /// `elapsed` times intervals (TTLs, cool-downs, lockouts); by default the manual clock does.
    static func with<Result>(
        settings: Settings? = nil, hasher: (any PasswordHasher)? = nil, store wrap: ((SQLiteStore) -> any Store)? = nil,
        routes: PublicRoutes = PublicRoutes(), elapsed: (any ElapsedClock)? = nil, _ body: (TrackerFixture) async throws -> Result
    ) async throws -> Result {
        try await scoped(
            try await TrackerFixture(settings: settings, hasher: hasher, store: wrap, routes: routes, elapsed: elapsed),
            cleanUp: { await $0.cleanUp() }, body
        )
    }

    private init(
        settings: Settings?, hasher: (any PasswordHasher)?, store wrap: ((SQLiteStore) -> any Store)?, routes: PublicRoutes,
        elapsed: (any ElapsedClock)?
    ) async throws {
        let base = try settings ?? SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        directory = try TemporaryDirectory()
        do {
            store = try SQLiteStore.open(path: directory.file("triage.sqlite"), busyTimeout: 60, logger: Logger(label: "test"))
        } catch {
            directory.remove()
            throw error
        }
        clock = ManualWallClock()
        application = await TriageApplication.build(settings: SettingsHolder(base), TriageDependencies(
            store: wrap?(store) ?? store, clock: clock, elapsed: elapsed ?? clock, upstream: ScriptedUpstream(clock: SteppingClock()), notifier: RecordingNotifier(),
            hasher: hasher ?? BcryptPasswordHasher(cost: 4), jwtSecret: Self.secret, sources: ConfigurationSources(environment: [:]),
            levelControl: LogLevelControl(base.logLevel), metrics: PrometheusCollectorRegistry(), logger: Logger(label: "test"),
            instance: "test:1", startedAt: Date()
        ), routes: routes)
    }

    func router() -> Router<TriageRequestContext> {
        application.publicRouter()
    }

    func app() -> some ApplicationProtocol {
        Application(router: router())
    }

    /// Runs `body` against the application, every exchange recorded for `scripts/check-responses`.
    func test<Value: Sendable>(
        _ setup: TestingSetup = .router, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await app().test(setup) { client in
            try await body(RecordingClient(base: client, log: RecordingClient.logPath))
        }
    }

    /// A user straight in the store, and a token for them.
    func user(_ name: String, _ role: Role) async throws -> (user: User, token: String) {
        let hash = try await services.hasher.hash("password-\(name)")
        let user = try await store.users.create(username: name, passwordHash: hash, role: role, at: clock.now())
        let token = try await services.tokens.issue(for: user).token
        return (user, token)
    }

    /// Every row of every table, as text, read through a connection of its own:
    /// what a refused request must leave exactly as it was.
    func tableContents() throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: directory.file("triage.sqlite"), configuration: configuration)
        let contents = try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            var contents: [String: [String]] = [:]
            for table in tables {
                contents[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).sorted()
            }
            return contents
        }
        try queue.close()
        return contents
    }

    func cleanUp() async {
        try? await store.close()
        directory.remove()
    }
}

extension TestClientProtocol {
    /// A JSON request with an optional bearer token.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: JSONCoding.iso8601Milliseconds)
        }
        return try decoder.decode(T.self, from: Data(buffer: body))
    }
}
