/// A hash of nothing anyone knows, checked when a login names an unknown user
/// so that a miss takes as long as a wrong password (no username probing by timing).
actor DecoyHash {
    private let hasher: any PasswordHasher
    private var hash: String?

    init(hasher: any PasswordHasher) {
        self.hasher = hasher
    }

    func value() async throws -> String {
        if let hash { return hash }
        let made = try await hasher.hash(String(UInt64.random(in: .min ... .max), radix: 36))
        hash = made
        return made
    }
}
