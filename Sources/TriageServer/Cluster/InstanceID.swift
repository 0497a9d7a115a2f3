import Foundation

/// `host:pid`: the name an instance records batch runs, leases and locks under.
enum InstanceID {
    static var current: String {
        "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    /// Whether `id` names a process of this host that no longer runs (killed,
    /// crashed): what it holds can be taken at once instead of after its lease
    /// expires. False whenever that cannot be known: another host's instance,
    /// a name not of this form, a process that runs (or whose pid a newer
    /// process took: then its lease is left to expire, as another host's is).
    static func isGone(_ id: String, thisHost: String = ProcessInfo.processInfo.hostName) -> Bool {
        guard let colon = id.lastIndex(of: ":"), id[..<colon] == thisHost,
              let pid = pid_t(id[id.index(after: colon)...]), pid > 0, pid != getpid()
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
