import Foundation

/// `sqlite://PATH` (relative or absolute) or
/// `postgres://user:pass@host:port/db[?sslmode=disable|prefer|require|verify-ca|verify-full][&sslrootcert=PATH|system]`.
struct DatabaseURLParser {
    private let key = SettingKey.databaseURL

    func parse(_ text: String) throws(ConfigurationError) -> DatabaseLocation {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigurationError(key, "\"\(text)\" names no file; write sqlite://PATH")
            }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(try postgres(text))
        }
        throw ConfigurationError(key, "\(unsupportedScheme(text)) must start with sqlite:// or postgres://")
    }

    /// Only the scheme of a URL we do not take, and only if it looks like one:
    /// the rest of such text has no shape to redact a password by.
    private func unsupportedScheme(_ text: String) -> String {
        let scheme = text.range(of: "://").map { text[..<$0.lowerBound] } ?? ""
        let plausible = !scheme.isEmpty && scheme.count <= 16
            && scheme.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+.-".unicodeScalars.contains($0)) }
        return plausible ? "\"\(scheme)://…\"" : "the value (not repeated: it may hold a password)"
    }

    private func postgres(_ text: String) throws(ConfigurationError) -> PostgresLocation {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw ConfigurationError(key, "\"\(redacted(text))\" is not a postgres://user:pass@host:port/db URL")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        // One path segment: a database name with `/` or `@` is a URL pasted twice, not a name.
        guard !database.isEmpty, !database.contains("/"), !database.contains("@") else {
            throw ConfigurationError(key, "\"\(redacted(text))\" names no single database; write postgres://user:pass@host:port/db")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(key, "\"\(redacted(text))\" names no user")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ConfigurationError(key, "port \(port) is outside 1–65535")
        }
        var sslMode = PostgresLocation.SSLMode.prefer
        var roots: PostgresLocation.RootCertificates?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = PostgresLocation.SSLMode(rawValue: value) else {
                    let modes = PostgresLocation.SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigurationError(key, "sslmode must be one of \(modes)")
                }
                sslMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else {
                    throw ConfigurationError(key, "sslrootcert needs a file of CA certificates (PEM), or system")
                }
                roots = value == "system" ? .system : .file(value)
            default:
                // Named only when it looks like a parameter name: in a garbled URL this part can hold anything.
                let plain = item.name.count <= 32 && item.name.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) || $0 == "_" }
                let name = plain ? "parameter \"\(item.name)\"" : "parameter"
                throw ConfigurationError(key, "unknown \(name); only sslmode and sslrootcert are supported")
            }
        }
        // libpq would look for ~/.postgresql/root.crt; a daemon has no such home, so the CA is named.
        if sslMode.verifiesCertificate, roots == nil {
            throw ConfigurationError(key, "sslmode=\(sslMode.rawValue) needs sslrootcert=PATH (the CA's certificate, PEM) or sslrootcert=system")
        }
        if case .file(let path) = roots, !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigurationError(key, "sslrootcert \(path) cannot be read")
        }
        return PostgresLocation(
            host: host, port: port, user: user, password: components.password,
            database: database, sslMode: sslMode, rootCertificates: roots
        )
    }

    /// Errors are printed and logged: never echo a password, not even from a URL
    /// too broken to parse. All that stands between `://` and the last `@` goes,
    /// whatever a URL parser makes of it: a doubled or mistyped URL can hide a
    /// password in what the parser calls a path.
    /// Scalar by scalar: Foundation's `range(of:)` mis-indexes text holding NUL, and a
    /// `@` followed by a combining mark is not a `Character` "@" but still ends userinfo.
    func redacted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let scheme = scalars.firstRange(of: "://".unicodeScalars),
              let at = scalars[scheme.upperBound...].lastIndex(of: "@")
        else { return text }
        return String(Substring(scalars[..<scheme.upperBound])) + "***" + String(Substring(scalars[at...]))
    }
}
