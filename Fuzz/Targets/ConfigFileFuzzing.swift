@testable import TriageServer

/// The configuration file: YAML (or JSON) to dotted keys to validated
/// settings, exactly as start-up and reload read it. Every refusal must be a
/// `ConfigurationError` naming a key, on one line.
enum ConfigFileFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(fuzzInput: input)
        do {
            let values = try ConfigFileReader().values(fromYAML: text, path: "fuzz.yaml")
            let raw = RawSettings { values[$0.rawValue] }
            let defaults = SettingsDefaults(sources: ConfigurationSources(environment: [:]))
            _ = try SettingsParser(raw: raw, defaults: defaults).parse()
        } catch let error as ConfigurationError {
            let line = error.description
            if line.contains("\n") || line.contains("\r") {
                throw FuzzFinding("\(text.debugDescription): the error is not one line: \(line.debugDescription)")
            }
        } catch {
            throw FuzzFinding("\(text.debugDescription): an error that is not a ConfigurationError: \(error)")
        }
    }
}
