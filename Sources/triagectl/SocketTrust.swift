import Foundation

/// Whose control socket `triagectl` talks to. It sends the daemon passwords
/// (`user create --password-stdin`) and trusts its answers, so a socket some
/// other user left in a directory it happens to run in is refused.
enum SocketTrust {
    /// The user the packaged daemon runs as (packaging/sysusers.d/triage.conf).
    static let daemonUser = "triage"

    static func trusts(ownerUID: uid_t, callerUID: uid_t = getuid()) -> Bool {
        ownerUID == 0 || ownerUID == callerUID || ownerUID == daemonUID
    }

    private static var daemonUID: uid_t? {
        guard let entry = getpwnam(daemonUser) else { return nil }
        return entry.pointee.pw_uid
    }
}
