import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import TriageTestSupport
import Prometheus
@testable import TriageServer

/// A real GRDB store on a temporary file, the tracker's services with a manual
/// clock and the cheapest bcrypt, and the public router built from them.
struct TrackerFixture {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    let clock: ManualWallClock
    let services: TrackerServices
    let settings: SettingsHolder
    let external: ExternalClient

    static let secret = String(repeating: "k", count: 32)

    /// A fixture for the length of `body`; its store and directory are gone afterwards.
    /// `hasher` replaces the cheapest bcrypt, e.g. to count how many checks reach it.
    static func with<Result>(
        settings: Settings? = nil, hasher: (any PasswordHasher)? = nil, _ body: (TrackerFixture) async throws -> Result
    ) async throws -> Result {
        try await scoped(try await TrackerFixture(settings: settings, hasher: hasher), cleanUp: { await $0.cleanUp() }, body)
    }

    private init(settings: Settings?, hasher custom: (any PasswordHasher)?) async throws {
        let base = try settings ?? SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        directory = try TemporaryDirectory()
        do {
            store = try SQLiteStore.open(path: directory.file("triage.sqlite"), busyTimeout: 60, logger: Logger(label: "test"))
        } catch {
            directory.remove()
            throw error
        }
        clock = ManualWallClock()
        let holder = SettingsHolder(base)
        self.settings = holder
        let hasher = custom ?? BcryptPasswordHasher(cost: 4)
        let clock = self.clock
        external = Self.scriptedExternal(store: store, clock: clock)
        services = TrackerServices(
            store: store,
            directory: UserDirectory(repository: store.users, clock: clock),
            tokens: await TokenService(secret: Self.secret, clock: clock, lifetime: { holder.current.tokenLifetime }),
            hasher: hasher,
            throttle: LoginThrottle(clock: clock),
            attempts: AddressRateLimiter(clock: clock) { holder.current.authAttempts },
            authMetrics: AuthMetrics(registry: PrometheusCollectorRegistry()),
            clock: clock,
            settings: holder,
            decoy: DecoyHash(hasher: hasher),
            popular: PopularIssues(
                cache: Cache(name: PopularIssues.cacheName, clock: clock, timeToLive: { holder.current.popularCacheTTL }),
                issues: store.issues, clock: clock
            )
        )
    }

    /// The external call as the route sees it: a scripted upstream that answers at once.
    static func scriptedExternal(store: any Store, clock: any WallClock) -> ExternalClient {
        let stepping = SteppingClock()
        return ExternalClient(
            upstream: ScriptedUpstream(clock: stepping),
            breaker: CircuitBreaker(clock: clock, policy: { CircuitBreaker.Policy(threshold: 5, coolDown: 30) }, logger: Logger(label: "test")),
            lastGood: LastKnownGood(store: store.externalSnapshots), clock: clock,
            policy: { ExternalClient.Policy(url: URL(string: "http://upstream.invalid/posts/1")!, attemptTimeout: 5, retries: 3, retryDelay: 1, deadline: 10) },
            metrics: nil, logger: Logger(label: "test")
        )
    }

    func router() -> Router<TriageRequestContext> {
        let notifier = RecordingNotifier()
        let readiness = ReadinessTracker(notifier: notifier, logger: Logger(label: "test"))
        let registry = PrometheusCollectorRegistry()
        return PublicRouterBuilder(
            readiness: readiness, store: store, storeTimeout: .seconds(1),
            metricsRegistry: registry, requestMetrics: RequestMetricHandles(registry: registry), processMetrics: ProcessMetrics(registry: registry, startedAt: Date()),
            tracker: services, external: external
        ).build()
    }

    func app() -> some ApplicationProtocol {
        Application(router: router())
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
