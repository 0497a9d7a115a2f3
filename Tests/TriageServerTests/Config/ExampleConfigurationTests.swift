import Foundation
import Testing
import TriageTestSupport
@testable import TriageServer

/// `etc/triaged.yaml` is what operators copy: it must load, and document every key.
@Suite(.timeLimit(.minutes(2))) struct ExampleConfigurationTests {
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/triaged.yaml").path

    @Test func theExampleLoadsAsTheDefaults() throws {
        let fromExample = try SettingsLoader().load(from: ConfigurationSources(environment: [:], explicitConfigFile: Self.examplePath))
        let defaults = try SettingsLoader().load(from: ConfigurationSources(environment: [:]))
        #expect(fromExample == defaults)
    }

    @Test func everyKeyIsDocumentedAndLoadsWhenUncommented() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        var section = ""
        var documented = Set<String>()
        var uncommented: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first.isLetter, line.hasSuffix(":") {
                section = String(line.dropLast())
                uncommented.append(String(line))
            } else if let match = line.wholeMatch(of: #/\ \ \# ([a-z][A-Za-z]*):(\ .*)?/#) {
                // A commented-out setting (`  # port: 8080`), not prose (`  # Default: …`).
                documented.insert("\(section).\(match.1)")
                uncommented.append("  " + line.dropFirst(4))
            }
        }
        #expect(documented == Set(SettingKey.allCases.map(\.rawValue)))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("all.yaml", uncommented.joined(separator: "\n") + "\n")
        let settings = try SettingsLoader().load(from: ConfigurationSources(environment: [:], explicitConfigFile: file))
        #expect(settings.statsTimeZone.identifier == "Europe/Berlin")
        #expect(settings.controlSocket == "/run/triage/control.sock")
    }
}
