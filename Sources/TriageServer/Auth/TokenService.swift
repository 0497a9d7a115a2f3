import Foundation
import JWTKit

/// Issues and checks the API's access tokens: JWT, HS256, with `sub`, `role`, `iat`, `exp`.
public struct TokenService: Sendable {
    public struct Claims: JWTPayload, Equatable {
        public var sub: SubjectClaim
        public var role: String
        public var iat: IssuedAtClaim
        public var exp: ExpirationClaim

        // Time checks need the injected clock, so they happen in `TokenService.verify`.
        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    public struct IssuedToken: Sendable {
        public var token: String
        public var expiresIn: Int
    }

    public enum Rejection: Error, Equatable, CustomStringConvertible {
        case malformedOrForged
        case expired
        case issuedInTheFuture
        case badSubject

        public var description: String {
            switch self {
            case .malformedOrForged: return "the token is malformed or its signature is invalid"
            case .expired: return "the token has expired"
            case .issuedInTheFuture: return "the token claims to be issued in the future"
            case .badSubject: return "the token names no valid user"
            }
        }
    }

    /// Who a genuine, current token speaks for, and since when: the user's account decides
    /// whether a token that old still counts (`User.accepts(tokenIssuedAt:)`).
    public struct VerifiedToken: Sendable, Equatable {
        public var userID: UserID
        public var issuedAt: Date
    }

    /// Clock skew tolerated between instances for `iat`.
    static let leeway: TimeInterval = 60

    private let keys: JWTKeyCollection
    private let verified = VerifiedTokenCache()
    private let clock: any WallClock
    private let lifetime: @Sendable () -> TimeInterval

    /// `lifetime` is read at each issue so a reload of `auth.tokenLifetime` applies.
    public init(secret: String, clock: any WallClock, lifetime: @escaping @Sendable () -> TimeInterval) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.clock = clock
        self.lifetime = lifetime
    }

    /// `issuedAt`: when what the token vouches for was read (a login's credentials), else now.
    public func issue(for user: User, issuedAt: Date? = nil) async throws -> IssuedToken {
        let now = issuedAt ?? clock.now()
        let seconds = lifetime()
        let claims = Claims(
            sub: SubjectClaim(value: String(user.id)), role: user.role.rawValue,
            iat: IssuedAtClaim(value: now), exp: ExpirationClaim(value: now.addingTimeInterval(seconds))
        )
        return IssuedToken(token: try await keys.sign(claims), expiresIn: Int(seconds.rounded()))
    }

    /// The user of a token whose signature was already checked and which has
    /// not expired; nil when that is not known without verifying it afresh.
    /// Synchronous, for the cached-response fast path.
    public func knownValid(_ token: String) -> VerifiedToken? {
        guard let known = verified.entry(for: token), known.expiresAt > clock.now() else { return nil }
        return known.token
    }

    public func verify(_ token: String) async throws(Rejection) -> VerifiedToken {
        if let known = verified.entry(for: token) {
            guard known.expiresAt > clock.now() else { throw .expired }
            return known.token
        }
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch {
            throw .malformedOrForged
        }
        let now = clock.now()
        guard claims.exp.value > now else { throw .expired }
        guard claims.iat.value <= now.addingTimeInterval(Self.leeway) else { throw .issuedInTheFuture }
        guard let id = UserID(claims.sub.value), id > 0 else { throw .badSubject }
        let verifiedToken = VerifiedToken(userID: id, issuedAt: claims.iat.value)
        verified.remember(token, VerifiedTokenCache.Entry(token: verifiedToken, expiresAt: claims.exp.value))
        return verifiedToken
    }
}
