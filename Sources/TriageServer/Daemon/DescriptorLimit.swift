import Foundation

/// The soft limit on open descriptors, raised to the hard limit at start, as
/// Go's runtime and nginx do: systemd's default soft limit (1024) exists for
/// programs that still use select(), which Triage does not, and it is what a
/// crowd of idle connections would exhaust first.
enum DescriptorLimit {
    struct Raise: Equatable {
        let from: rlim_t
        let to: rlim_t
    }

    /// The soft limit in force (a generous guess if it cannot be read).
    static func current() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The raise made, or nil when the soft limit already was the hard one (or could not be read).
    static func raiseSoftToHard() -> Raise? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return nil }
        let from = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return Raise(from: from, to: limit.rlim_max)
    }
}
