import Foundation

/// Secrets systemd hands over as files in `$CREDENTIALS_DIRECTORY`
/// (`LoadCredential=`, `LoadCredentialEncrypted=`, `SetCredential=`), so that
/// no secret sits in the environment (`systemctl show` prints it) or on the
/// command line (`ps` prints it).
public struct Credentials: Sendable, Equatable {
    /// The credential names Triage reads, and the setting each one stands for.
    public enum Name: String, CaseIterable, Sendable {
        case jwtSecret = "jwt-secret"
        case databasePassword = "database-password"

        var key: SettingKey {
            switch self {
            case .jwtSecret: return .authJWTSecret
            case .databasePassword: return .databaseURL
            }
        }
    }

    public var values: [Name: String]

    public init(_ values: [Name: String] = [:]) {
        self.values = values
    }

    public subscript(name: Name) -> String? { values[name] }

    /// Reads every credential Triage knows from `directory`. An absent file is no
    /// credential; one that is there but cannot be read is a configuration error.
    static func read(from directory: String?) throws(ConfigurationError) -> Credentials {
        guard let directory else { return Credentials() }
        var values: [Name: String] = [:]
        for name in Name.allCases {
            let path = directory + "/" + name.rawValue
            if FileContents.isAbsent(path) { continue }
            let data: Data
            do {
                data = try FileContents.read(path)
            } catch {
                throw ConfigurationError(name.key, "cannot read the \(name.rawValue) credential \(path): \(error.reason)")
            }
            // `echo secret > file` leaves a final newline that is not part of the secret (an editor
            // may leave CR LF). By scalar: "\r\n" is one Character, so hasSuffix("\n") misses it.
            var text = String(decoding: data, as: UTF8.self)
            if text.unicodeScalars.last == "\n" { text.unicodeScalars.removeLast() }
            if text.unicodeScalars.last == "\r" { text.unicodeScalars.removeLast() }
            values[name] = text
        }
        return Credentials(values)
    }
}
