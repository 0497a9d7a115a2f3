import Foundation
import Logging
import Testing
import TriageTestSupport
@testable import TriageServer

@Suite(.timeLimit(.minutes(2))) struct SettingsLoaderTests {
    private func load(
        flags: [SettingKey: String] = [:], environment: [String: String] = [:], file: String? = nil
    ) throws -> Settings {
        try SettingsLoader().load(from: ConfigurationSources(flags: flags, environment: environment, explicitConfigFile: file))
    }

    private func problem(
        flags: [SettingKey: String] = [:], environment: [String: String] = [:], file: String? = nil
    ) -> ConfigurationError? {
        do {
            _ = try load(flags: flags, environment: environment, file: file)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// Issue #18: scheduled backups are off unless set, and only for SQLite.
    @Test func backupSettingsDefaultOffAndRefusePostgres() throws {
        let defaults = try load()
        #expect(defaults.backupCron == nil && defaults.backupKeep == 7 && defaults.backupDirectory == "./triage-data/backups")
        let systemd = try load(environment: ["STATE_DIRECTORY": "/var/lib/triage"])
        #expect(systemd.backupDirectory == "/var/lib/triage/backups")
        for off in ["", "off", "OFF"] { #expect(try load(environment: ["TRIAGE_BACKUP_CRON": off]).backupCron == nil) }
        let set = try load(environment: ["TRIAGE_BACKUP_CRON": "@daily", "TRIAGE_BACKUP_KEEP": "30", "TRIAGE_BACKUP_DIRECTORY": "/srv/copies"])
        #expect(set.backupCron?.description == "@daily" && set.backupKeep == 30 && set.backupDirectory == "/srv/copies")
        #expect(problem(environment: ["TRIAGE_BACKUP_KEEP": "0"])?.key == "backup.keep")
        #expect(problem(environment: ["TRIAGE_BACKUP_CRON": "0 0 3 32 * *"])?.key == "backup.cron")
        #expect(problem(environment: ["TRIAGE_BACKUP_DIRECTORY": ""])?.key == "backup.directory")
        let postgres = problem(environment: [
            "TRIAGE_DATABASE_URL": "postgres://u:p@db/triage", "TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32),
            "TRIAGE_BACKUP_CRON": "@daily",
        ])
        #expect(postgres?.key == "backup.cron" && "\(postgres.map { "\($0)" } ?? "")".contains("pg_dump"), "\(String(describing: postgres))")
    }

    /// Issue #18: libpq's verify-ca and verify-full need the CA; poolSize and the timeout need a restart.
    @Test func verifiedTLSNeedsARootCertificateAndPoolSizeIsBounded() throws {
        let base = ["TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32)]
        let missing = problem(environment: base.merging(["TRIAGE_DATABASE_URL": "postgres://u:p@db/t?sslmode=verify-full"]) { $1 })
        #expect(missing?.key == "database.url" && missing?.problem.contains("sslrootcert") == true, "\(String(describing: missing))")
        let unreadable = problem(environment: base.merging(["TRIAGE_DATABASE_URL": "postgres://u:p@db/t?sslmode=verify-ca&sslrootcert=/no/such/ca.pem"]) { $1 })
        #expect(unreadable?.problem.contains("/no/such/ca.pem cannot be read") == true, "\(String(describing: unreadable))")
        let system = try load(environment: base.merging(["TRIAGE_DATABASE_URL": "postgres://u:p@db/t?sslmode=verify-full&sslrootcert=system"]) { $1 })
        guard case .postgres(let location) = system.database else { throw ConfigurationError(key: "test", problem: "not postgres") }
        #expect(location.sslMode == .verifyFull && location.rootCertificates == .system)
        #expect(!system.database.redactedDescription.contains(":p@") && system.database.redactedDescription.hasSuffix("sslmode=verify-full&sslrootcert=system"))
        #expect(problem(environment: base.merging(["TRIAGE_DATABASE_URL": "postgres://u:p@db/t?sslmode=allow"]) { $1 })?.problem.contains("verify-full") == true)
        #expect(try load().databasePoolSize == 10)
        #expect(problem(environment: ["TRIAGE_DATABASE_POOL_SIZE": "0"])?.key == "database.poolSize")
        #expect(SettingKey.databasePoolSize.requiresRestart && SettingKey.databaseTimeout.requiresRestart)
    }

    @Test func defaultsWorkWithoutFileOrSystemd() throws {
        let settings = try load()
        #expect(settings.httpHost == "127.0.0.1")
        #expect(settings.httpPort == 8080)
        #expect(settings.controlSocket == "./triage-data/control.sock")
        #expect(settings.database == .sqlite(path: "./triage-data/triage.sqlite"))
        #expect(settings.databaseTimeout == 5)
        #expect(settings.jwtSecret == nil)
        #expect(settings.tokenLifetime == 3600)
        #expect(settings.signupEnabled)
        #expect(settings.statsCron.description == "0 0 3 * * *")
        #expect(settings.statsCatchUpDays == 7)
        #expect(settings.statsHistoryDays == 90)
        #expect(settings.popularCacheTTL == 300)
        #expect(settings.externalURL.absoluteString == "https://jsonplaceholder.typicode.com/posts/1")
        #expect(settings.externalRetries == 3)
        #expect(settings.externalRetryDelay == 1)
        #expect(settings.externalDeadline == 10)
        #expect(settings.externalBreakerThreshold == 5)
        #expect(settings.externalBreakerCoolDown == 30)
        #expect(settings.externalBreakerFailureRate == 0.5)
        #expect(settings.externalBreakerWindow == 60)
        #expect(settings.externalBreakerMinimumCalls == 10)
        #expect(settings.logLevel == .info)
        #expect(settings.httpHeadTimeout == 20)
        #expect(settings.httpBodyTimeout == 60)
        #expect(settings.httpMaxConnections == 0)
        #expect(settings.httpTrustedProxies.isEmpty)
        #expect(settings.authAttempts == .init(perMinute: 30, burst: 10))
    }

    @Test func trustedProxiesAreAListInTheFileAndCommaSeparatedElsewhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let yaml = try directory.write("triaged.yaml", "http:\n  trustedProxies:\n    - 10.0.0.0/8\n    - ::1\n")
        #expect(try load(file: yaml).httpTrustedProxies == [IPNetwork("10.0.0.0/8")!, IPNetwork("::1")!])
        let environment = try load(environment: ["TRIAGE_HTTP_TRUSTED_PROXIES": "192.168.0.0/16, fd00::/8"])
        #expect(environment.httpTrustedProxies.map(\.description) == ["192.168.0.0/16", "fd00::/8"])
        let nested = try directory.write("nested.yaml", "http:\n  trustedProxies:\n    - [10.0.0.0/8]\n")
        #expect(problem(file: nested)?.key == "http.trustedProxies")
    }

    @Test func systemdDirectoriesMoveTheDefaults() throws {
        let settings = try load(environment: ["RUNTIME_DIRECTORY": "/run/triage", "STATE_DIRECTORY": "/var/lib/triage:/other"])
        #expect(settings.controlSocket == "/run/triage/control.sock")
        #expect(settings.database == .sqlite(path: "/var/lib/triage/triage.sqlite"))
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("triaged.yaml", "http:\n  port: 1001\nlog:\n  level: debug\n")
        let environment = ["TRIAGE_HTTP_PORT": "2002"]
        #expect(try load(flags: [.httpPort: "3003"], environment: environment, file: file).httpPort == 3003)
        #expect(try load(environment: environment, file: file).httpPort == 2002)
        #expect(try load(file: file).httpPort == 1001)
        #expect(try load(file: file).logLevel == .debug)
        #expect(try load().httpPort == 8080)
    }

    @Test func environmentNamesFollowTheDesign() {
        #expect(SettingKey.httpPort.environmentName == "TRIAGE_HTTP_PORT")
        #expect(SettingKey.externalConnectTimeout.environmentName == "TRIAGE_EXTERNAL_CONNECT_TIMEOUT")
        #expect(SettingKey.authJWTSecret.environmentName == "TRIAGE_AUTH_JWT_SECRET")
        #expect(SettingKey.cachePopularTTL.environmentName == "TRIAGE_CACHE_POPULAR_TTL")
        #expect(SettingKey.statsCatchUpDays.environmentName == "TRIAGE_STATS_CATCH_UP_DAYS")
    }

    @Test func everyKeyCanComeFromTheEnvironment() throws {
        let settings = try load(environment: [
            "TRIAGE_EXTERNAL_CONNECT_TIMEOUT": "1.5",
            "TRIAGE_CACHE_POPULAR_TTL": "60",
            "TRIAGE_STATS_TIMEZONE": "Asia/Seoul",
            "TRIAGE_AUTH_SIGNUP": "false",
            "TRIAGE_AUTH_JWT_SECRET": String(repeating: "s", count: 32),
            "TRIAGE_DATABASE_URL": "postgres://triage:pw@db.example:6543/triage?sslmode=require",
        ])
        #expect(settings.externalConnectTimeout == 1.5)
        #expect(settings.popularCacheTTL == 60)
        #expect(settings.statsTimeZone.identifier == "Asia/Seoul")
        #expect(!settings.signupEnabled)
        #expect(settings.jwtSecret?.count == 32)
        guard case .postgres(let location) = settings.database else {
            Issue.record("expected a PostgreSQL location")
            return
        }
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.user == "triage")
        #expect(location.password == "pw")
        #expect(location.database == "triage")
        #expect(location.sslMode == .require)
        #expect(!settings.database.redactedDescription.contains("pw"))
    }

    @Test func jsonFilesAndDottedKeysAreAccepted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = try directory.write("triaged.json", #"{"http": {"host": "0.0.0.0"}, "external": {"retries": 1}}"#)
        let settings = try load(file: json)
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.externalRetries == 1)
        let dotted = try directory.write("dotted.yaml", "external.readTimeout: 2.5\n")
        #expect(try load(file: dotted).externalReadTimeout == 2.5)
    }

    @Test func configurationDirectoryFileIsReadWhenPresent() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("triaged.yaml", "http:\n  port: 4444\n")
        #expect(try load(environment: ["CONFIGURATION_DIRECTORY": directory.path]).httpPort == 4444)
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        #expect(try load(environment: ["CONFIGURATION_DIRECTORY": empty.path]).httpPort == 8080)
    }

    @Test func unknownKeysAreRejectedFromEverySource() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("triaged.yaml", "http:\n  prot: 1\n")
        #expect(problem(file: file)?.key == "http.prot")
        #expect(problem(environment: ["TRIAGE_HTTP_PROT": "1"])?.key == "TRIAGE_HTTP_PROT")
    }

    @Test func missingOrBrokenFilesAreConfigurationErrors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(problem(file: directory.file("absent.yaml"))?.key == "config")
        let broken = try directory.write("broken.yaml", "http: [port: 1\n")
        #expect(problem(file: broken)?.key == "config")
        let list = try directory.write("list.yaml", "- 1\n- 2\n")
        #expect(problem(file: list)?.key == "config")
        let nestedList = try directory.write("nested.yaml", "http:\n  port: [1, 2]\n")
        #expect(problem(file: nestedList)?.key == "http.port")
    }

    @Test func aDatabaseURLThatFailsToParseNeverEchoesItsPassword() {
        // The last one was found by fuzzing: URLComponents reads `db:/s3cret` as a path, so it has no password to hide.
        for url in [
            "postgres://triage:s3cret@[db.example/triage", "postgres://triage:s3cret@/triage", "mysql://triage:s3cret@db/x",
            "postgresqlx://host/db:/s3cret@host/x", "postgres://triage:s3cret@db.examplepostgres://triage:s3cret@db.example:5432/triage",
            "u:s3cret@db://u:s3cret@db/x",
        ] {
            let error = problem(environment: ["TRIAGE_DATABASE_URL": url, "TRIAGE_AUTH_JWT_SECRET": String(repeating: "j", count: 32)])
            #expect(error?.key == "database.url", "\(url)")
            #expect(error.map { !$0.description.contains("s3cret") } == true, "\(String(describing: error))")
        }
    }

    /// Found by fuzzing: Foundation's `range(of:)` mis-indexes text holding NUL, so the
    /// redaction cut at the first `@` and showed the rest of a password that holds one.
    @Test func aPasswordHoldingAnAtIsHiddenInTextHoldingNUL() {
        for url in ["postgres://t:@s3cret@db.x\u{0}\u{90}=", "postgres://t:s3c@ret@[db\u{0}", "postgres://t:s3c@\u{301}ret@[db"] {
            let error = problem(flags: [.databaseURL: url])
            #expect(error?.key == "database.url", "\(url.debugDescription)")
            #expect(error.map { !$0.description.contains("s3c") && !$0.description.contains("ret@") } == true, "\(String(describing: error))")
        }
    }

    @Test func anUnsupportedSchemeIsNamedAndNothingElse() {
        let error = problem(flags: [.databaseURL: "mysql://triage:s3cret@db/x"])
        #expect(error?.problem == "\"mysql://…\" must start with sqlite:// or postgres://")
    }

    /// Found by fuzzing: Yams describes a syntax error over several lines, and exit 78 promises one.
    @Test func aBrokenConfigurationFileIsStillOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("broken.yaml", "http: {\"host\": \"0.0.0.0\", port\n# x\": 1}\n")
        let error = try #require(problem(file: file))
        #expect(error.key == "config")
        #expect(!error.description.contains("\n"), "\(error.description)")
        #expect(error.description.contains("is not valid YAML or JSON"))
    }

    @Test func urlsAreShownWithoutUserinfoOrQuery() throws {
        let url = try #require(URL(string: "https://user:tok3n@api.example.com:8443/posts/1?key=s3cret#part"))
        #expect(URLRedaction.forDisplay(url) == "https://***@api.example.com:8443/posts/1?***")
        #expect(URLRedaction.forDisplay(try #require(URL(string: "https://api.example.com/posts/1"))) == "https://api.example.com/posts/1")
    }

    @Test func secretsComeFromSystemdCredentials() throws {
        try TemporaryDirectory.withSync { credentials in
            let secret = String(repeating: "j", count: 40)
            try credentials.write("jwt-secret", secret + "\n")
            try credentials.write("database-password", "p@ss word\r\n")
            let environment = ["CREDENTIALS_DIRECTORY": credentials.path, "TRIAGE_DATABASE_URL": "postgres://triage@db.example:5432/triage"]
            let settings = try load(environment: environment)
            #expect(settings.jwtSecret == secret, "the final newline is not part of the secret")
            guard case .postgres(let location) = settings.database else {
                Issue.record("expected PostgreSQL")
                return
            }
            #expect(location.password == "p@ss word", "a final CR LF is not part of the secret either")
            #expect(!settings.database.redactedDescription.contains("p@ss"))

            // A secret given two ways is refused rather than one silently winning.
            var both = environment
            both["TRIAGE_AUTH_JWT_SECRET"] = String(repeating: "e", count: 40)
            #expect(problem(environment: both) == ConfigurationError(
                .authJWTSecret, "is set both as a setting and as the jwt-secret credential; keep one"
            ))
            both = environment
            both["TRIAGE_DATABASE_URL"] = "postgres://triage:inline@db.example:5432/triage"
            #expect(problem(environment: both) == ConfigurationError(
                .databaseURL, "has a password and the database-password credential is set too; keep one"
            ))
            both["TRIAGE_DATABASE_URL"] = "sqlite:///tmp/x.sqlite"
            #expect(problem(environment: both)?.problem == "the database-password credential is set, but the database is not PostgreSQL")
        }
    }

    @Test func anUnreadableCredentialIsAnErrorNamingIt() throws {
        try TemporaryDirectory.withSync { credentials in
            // A directory where the file should be: unreadable even for root.
            try FileManager.default.createDirectory(atPath: credentials.file("jwt-secret"), withIntermediateDirectories: false)
            let error = problem(environment: ["CREDENTIALS_DIRECTORY": credentials.path])
            #expect(error?.key == "auth.jwtSecret")
            #expect(error?.problem == "cannot read the jwt-secret credential \(credentials.file("jwt-secret")): \(String(cString: strerror(EISDIR)))")
        }
    }

    @Test func aConfigurationFileThatIsThereButUnreadableIsAnErrorNotSkipped() throws {
        // A symlink loop: there, but unreadable even for root (which ignores permissions).
        // The unreadable-by-permission case runs under a real systemd in the system test.
        try TemporaryDirectory.withSync { directory in
            let file = directory.file("triaged.yaml")
            #expect(symlink(file, file) == 0)
            let error = problem(environment: ["CONFIGURATION_DIRECTORY": directory.path])
            #expect(error?.key == "config")
            #expect(error?.problem == "cannot read \(file): \(String(cString: strerror(ELOOP)))", "\(String(describing: error))")
        }
    }

    @Test(arguments: [
        (SettingKey.httpPort, "70000"),
        (.httpPort, "-1"),
        (.httpPort, "eighty"),
        (.httpHost, "bad host"),
        (.databaseURL, "mysql://x"),
        (.databaseURL, "sqlite://"),
        (.databaseURL, "postgres://host/db"),
        (.databaseURL, "postgres://u@host/db?sslmode=sometimes"),
        (.databaseTimeout, "0"),
        (.databaseSynchronous, "extra"),
        (.httpDrainTimeout, "0"),
        (.httpDrainTimeout, "51"),
        (.authTokenLifetime, "-5"),
        (.authJWTSecret, "short"),
        (.authSignup, "maybe"),
        (.statsCron, ""),
        (.statsTimezone, "Mars/Olympus"),
        (.statsCatchUpDays, "1000"),
        (.cachePopularTTL, "soon"),
        (.externalURL, "ftp://example.com"),
        (.externalURL, "not a url"),
        (.externalRetries, "11"),
        (.externalRetryDelay, "nan"),
        (.externalBreakerThreshold, "0"),
        (.externalBreakerFailureRate, "1.5"),
        (.externalBreakerFailureRate, "half"),
        (.externalBreakerWindow, "0"),
        (.externalBreakerMinimumCalls, "0"),
        (.logLevel, "loud"),
        (.httpHeadTimeout, "61"),
        (.httpHeadTimeout, "0"),
        (.httpBodyTimeout, "0"),
        (.httpMaxConnections, "-1"),
        (.httpTrustedProxies, "10.0.0.0/8, proxy.example"),
        (.httpTrustedProxies, "10.0.0.0/33"),
        (.authAttemptsPerMinute, "-1"),
        (.authAttemptsPerMinute, "inf"),
        (.authAttemptBurst, "0"),
        (.controlSocket, "/tmp/" + String(repeating: "s", count: 110)),
    ])
    func badValuesNameTheirKey(key: SettingKey, value: String) {
        let error = problem(flags: [key: value])
        #expect(error?.key == key.rawValue)
        #expect(error?.description.hasPrefix("invalid configuration: \(key.rawValue): ") == true)
    }

    @Test func postgresNeedsASharedJWTSecret() throws {
        let error = problem(flags: [.databaseURL: "postgres://triage:pw@db.example:5432/triage"])
        #expect(error?.key == SettingKey.authJWTSecret.rawValue)
        #expect(error?.description.contains("same value on every instance") == true)
    }

    @Test func portZeroMeansPickAFreePort() throws {
        #expect(try load(flags: [.httpPort: "0"]).httpPort == 0)
    }

    @Test func changedKeysSeparateRestartOnlySettings() throws {
        let old = try load()
        let new = try load(flags: [.httpPort: "9999", .logLevel: "debug", .externalRetries: "2"])
        let changed = new.changedKeys(comparedTo: old)
        #expect(Set(changed) == [.httpPort, .logLevel, .externalRetries])
        #expect(changed.filter(\.requiresRestart) == [.httpPort])
    }

    /// What a reload puts in force: every changed setting except the restart-only ones, whose
    /// running value stays (so `triagectl status` and the next reload tell the truth).
    @Test func aReloadKeepsTheRunningValueOfEveryRestartOnlySetting() throws {
        let running = try load()
        let changed: [SettingKey: String] = [
            .httpHost: "0.0.0.0", .httpPort: "9999", .httpIdleTimeout: "45", .httpDrainTimeout: "20", .controlSocket: "/tmp/other.sock",
            .databaseURL: "sqlite:///tmp/other.sqlite", .databaseSynchronous: "full", .authJWTSecret: String(repeating: "z", count: 32), .authBcryptCost: "11",
            .externalConnectTimeout: "2", .externalReadTimeout: "3", .externalWriteTimeout: "4", .databaseTimeout: "7", .databasePoolSize: "3",
            .externalRetries: "1", .cachePopularTTL: "60", .logLevel: "debug",
        ]
        let new = try load(flags: changed)
        #expect(Set(new.changedKeys(comparedTo: running)) == Set(changed.keys), "the test changes what it names")
        let effective = new.keepingRestartOnlyValues(of: running)
        for key in changed.keys {
            let expected = key.requiresRestart ? running : new
            #expect(effective.comparisonValue(of: key) == expected.comparisonValue(of: key), "\(key.rawValue)")
        }
        #expect(Set(changed.keys.filter(\.requiresRestart)) == Set(RestartOnlySettings.keys.keys))
    }
}
