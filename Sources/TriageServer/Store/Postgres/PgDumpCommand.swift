import Foundation
import TriageControlAPI

/// The `pg_dump` line that backs up the configured database: custom format (what
/// `pg_restore` takes), the connection as a URL without its password (pg_dump asks
/// for it, or reads PGPASSWORD or ~/.pgpass), quoted for a POSIX shell.
struct PgDumpCommand {
    let location: PostgresLocation

    init(_ location: PostgresLocation) {
        self.location = location
    }

    /// `--file` is left for the caller to append (`triagectl backup PATH` adds its PATH).
    var text: String {
        var components = URLComponents()
        components.scheme = "postgresql"
        components.user = location.user
        components.host = location.host
        components.port = location.port
        components.path = "/" + location.database
        components.queryItems = location.connectionQueryItems
        let url = components.string ?? "postgresql://\(location.host):\(location.port)/\(location.database)"
        return "pg_dump --format=custom --dbname=\(ShellQuoting.quoted(url))"
    }
}
