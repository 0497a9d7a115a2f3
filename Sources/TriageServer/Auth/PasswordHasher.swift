import HummingbirdBcrypt
import NIOPosix

/// Hashes and checks passwords. bcrypt is deliberately slow, so it runs on
/// NIO's blocking thread pool, never on an event loop.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}

public struct BcryptPasswordHasher: PasswordHasher {
    /// 2^cost rounds; 12 takes about a quarter second here. Tests use the minimum, 4.
    public let cost: UInt8
    private let pool: NIOThreadPool

    public init(cost: UInt8 = 12, pool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.pool = pool
    }

    public func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
