import Foundation

/// A parser that takes untrusted or operator-written text, driven by libFuzzer
/// (`scripts/fuzz`) and replayed over the committed corpus by the unit tests.
/// A target returns quietly for any input the parser handles (an answer or
/// its own typed error) and throws a `FuzzFinding` when an invariant breaks;
/// a crash or a hang is a finding too, caught by libFuzzer.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case cron
    case databaseURL = "database-url"
    case configFile = "config-file"
    case jsonBody = "json-body"
    case authorization
    case listCursor = "list-cursor"

    /// The key the authorization target verifies with; no input may carry a token it signed.
    public static let authorizationSecret = String(repeating: "f", count: 32)

    public func run(_ input: [UInt8]) throws(FuzzFinding) {
        switch self {
        case .cron: try CronFuzzing.run(input)
        case .databaseURL: try DatabaseURLFuzzing.run(input)
        case .configFile: try ConfigFileFuzzing.run(input)
        case .jsonBody: try JSONBodyFuzzing.run(input)
        case .authorization: try AuthorizationFuzzing.run(input)
        case .listCursor: try ListCursorFuzzing.run(input)
        }
    }
}

/// An invariant a parser broke, with the input's text to reproduce it.
public struct FuzzFinding: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension String {
    /// Fuzz input as text, invalid UTF-8 repaired as the server's decoders would.
    init(fuzzInput bytes: [UInt8]) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
