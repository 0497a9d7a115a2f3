@testable import TriageServer

/// The configuration file: YAML (or JSON) to dotted keys to validated
/// settings, exactly as start-up and reload read it. Every refusal is a
/// `ConfigurationError` (the types say so); it must be one line without control characters.
enum ConfigFileFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        let text = String(fuzzInput: input)
        do throws(ConfigurationError) {
            let values = try ConfigFileReader().values(fromYAML: text, path: "fuzz.yaml")
            let raw = RawSettings { values[$0.rawValue] }
            let defaults = SettingsDefaults(sources: ConfigurationSources(environment: [:]))
            _ = try SettingsParser(raw: raw, defaults: defaults).parse()
        } catch {
            let line = error.description
            if line.unicodeScalars.contains(where: { SingleLine.escape($0) != nil }) {
                throw FuzzFinding("\(text.debugDescription): the error is not one line: \(line.debugDescription)")
            }
        }
    }
}
