import Configuration
import Foundation
import Logging

/// Turns the configuration sources into validated `Settings`, with
/// flag > environment > file > default precedence (swift-configuration's
/// provider order does the layering). The two secrets can also come from
/// systemd credentials; a secret given both ways is refused (see `SettingsParser`).
public struct SettingsLoader: Sendable {
    public init() {}

    public func load(from sources: ConfigurationSources) throws(ConfigurationError) -> Settings {
        let fileValues = try sources.configFile.map { path throws(ConfigurationError) in
            try ConfigFileReader().read(path: path)
        } ?? [:]
        try rejectUnknownKeys(fileValues: fileValues, environment: sources.environment)

        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: Self.configValues(sources.flags.map { ($0.key.rawValue, $0.value) })),
            EnvironmentVariablesProvider(environmentVariables: sources.environment).prefixKeys(with: "triage"),
            InMemoryProvider(name: "file", values: Self.configValues(fileValues.map { ($0.key, $0.value) })),
        ])
        let raw = RawSettings { key in reader.string(forKey: ConfigKey(key.rawValue)) }
        let credentials = try Credentials.read(from: sources.credentialsDirectory)
        return try SettingsParser(raw: raw, defaults: SettingsDefaults(sources: sources), credentials: credentials).parse()
    }

    private static func configValues(_ pairs: [(String, String)]) -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in pairs {
            values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: key == SettingKey.authJWTSecret.rawValue)
        }
        return values
    }

    private func rejectUnknownKeys(fileValues: [String: String], environment: [String: String]) throws(ConfigurationError) {
        let known = Set(SettingKey.allCases.map(\.rawValue))
        if let unknown = fileValues.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError(key: unknown, problem: "unknown key in the configuration file")
        }
        let knownEnvironment = Set(SettingKey.allCases.map(\.environmentName))
        if let unknown = environment.keys.sorted().first(where: { $0.hasPrefix("TRIAGE_") && !knownEnvironment.contains($0) }) {
            throw ConfigurationError(key: unknown, problem: "unknown configuration variable in the environment")
        }
    }
}

/// Raw string values as the winning source spelled them; nil when no source sets the key.
struct RawSettings {
    let lookup: (SettingKey) -> String?

    subscript(key: SettingKey) -> String? {
        lookup(key).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// Defaults that depend on where systemd (or nobody) put our directories.
struct SettingsDefaults {
    let controlSocket: String
    let databaseURL: String
    let backupDirectory: String

    init(sources: ConfigurationSources) {
        let runtime = sources.runtimeDirectory ?? ConfigurationSources.fallbackDataDirectory
        let state = sources.stateDirectory ?? ConfigurationSources.fallbackDataDirectory
        controlSocket = runtime + "/control.sock"
        databaseURL = "sqlite://" + state + "/triage.sqlite"
        backupDirectory = state + "/backups"
    }
}
