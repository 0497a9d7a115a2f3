import Foundation

/// `sqlite://PATH` (relative or absolute) or
/// `postgres://user:pass@host:port/db[?sslmode=disable|prefer|require]`.
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
        throw ConfigurationError(key, "\"\(redacted(text))\" must start with sqlite:// or postgres://")
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
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw ConfigurationError(key, "unknown parameter \"\(item.name)\"; only sslmode is supported")
            }
            guard let value = item.value, let mode = PostgresLocation.SSLMode(rawValue: value) else {
                throw ConfigurationError(key, "sslmode must be disable, prefer or require")
            }
            sslMode = mode
        }
        return PostgresLocation(
            host: host, port: port, user: user, password: components.password,
            database: database, sslMode: sslMode
        )
    }

    /// Errors are printed and logged: never echo a password, not even from a URL
    /// too broken to parse. All that stands between `://` and the last `@` goes,
    /// whatever a URL parser makes of it: a doubled or mistyped URL can hide a
    /// password in what the parser calls a path.
    func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"),
              let at = text.range(of: "@", options: .backwards, range: scheme.upperBound..<text.endIndex)
        else { return text }
        return String(text[..<scheme.upperBound]) + "***" + String(text[at.lowerBound...])
    }
}
