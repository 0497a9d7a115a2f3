/// How many public connections may be open at once. Every connection is a
/// descriptor, and so are the control socket's clients, the database, the
/// upstream, the journal and the event loops' own: a fixed reserve below the
/// limit keeps those working however many clients connect.
public enum ConnectionLimit {
    static let reservedDescriptors = 128
    static let minimum = 16

    /// `configured` 0 means "as many as the descriptors allow"; a larger
    /// configured value than that is lowered to it, or `accept` would fail
    /// with EMFILE and take the control socket down with it.
    public static func effective(configured: Int, descriptorLimit: Int) -> Int {
        let allowed = max(minimum, descriptorLimit - reservedDescriptors)
        return configured == 0 ? allowed : min(configured, allowed)
    }
}
