import Foundation
import Yams

/// Reads a YAML or JSON configuration file (JSON is valid YAML, so one parser
/// serves both) into dotted keys. Nested mappings (`http: {port: 8080}`) and
/// dotted keys (`http.port: 8080`) are both accepted.
struct ConfigFileReader {
    static let fileKey = "config"

    func read(path: String) throws(ConfigurationError) -> [String: String] {
        let data: Data
        do {
            data = try FileContents.read(path)
        } catch {
            throw ConfigurationError(key: Self.fileKey, problem: "cannot read \(path): \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(key: Self.fileKey, problem: "\(path) is not UTF-8 text")
        }
        return try values(fromYAML: text, path: path)
    }

    /// The dotted keys and values of a configuration file's text; `path` names it in errors.
    func values(fromYAML text: String, path: String) throws(ConfigurationError) -> [String: String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: Self.fileKey, problem: "\(path) is not valid YAML or JSON: \(error)")
        }
        guard let root else { return [:] }  // An empty file sets nothing.
        guard let mapping = root.mapping else {
            throw ConfigurationError(key: Self.fileKey, problem: "\(path) must hold a mapping of keys to values")
        }
        var values: [String: String] = [:]
        try flatten(mapping, prefix: [], into: &values, path: path)
        return values
    }

    private func flatten(
        _ mapping: Node.Mapping, prefix: [String], into values: inout [String: String], path: String
    ) throws(ConfigurationError) {
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string, !key.isEmpty else {
                throw ConfigurationError(key: Self.fileKey, problem: "\(path) has a key that is not a string")
            }
            let components = prefix + [key]
            let dotted = components.joined(separator: ".")
            if let nested = valueNode.mapping {
                try flatten(nested, prefix: components, into: &values, path: path)
            } else if let scalar = valueNode.scalar {
                // `http:` with only comments under it is a null: the section sets nothing.
                if scalar.style == .plain && Self.nullSpellings.contains(scalar.string) { continue }
                if values[dotted] != nil {
                    throw ConfigurationError(key: dotted, problem: "set twice in \(path)")
                }
                values[dotted] = scalar.string
            } else if let sequence = valueNode.sequence {
                // A list (`http.trustedProxies`) is the same comma-separated text the environment gives.
                let items = sequence.compactMap { $0.scalar?.string }
                guard items.count == sequence.count, !items.contains(where: { $0.contains(",") }) else {
                    throw ConfigurationError(key: dotted, problem: "a list may hold only single values without commas")
                }
                if values[dotted] != nil {
                    throw ConfigurationError(key: dotted, problem: "set twice in \(path)")
                }
                values[dotted] = items.joined(separator: ",")
            } else {
                throw ConfigurationError(key: dotted, problem: "must be a single value or a list of them")
            }
        }
    }

    private static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]
}
