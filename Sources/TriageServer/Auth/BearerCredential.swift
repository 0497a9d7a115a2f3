/// Reads `Authorization: Bearer <token>` (RFC 6750 §2.1) for both the router
/// and the immediate-response fast path, so the two cannot disagree on what a
/// bearer token is. The scheme is case-insensitive (RFC 9110 §11.1); the token
/// must be a b64token of bounded length, so nothing else reaches JWT parsing.
enum BearerCredential {
    /// Far above any token we issue (about 200 bytes); a longer one is not ours.
    static let maximumTokenBytes = 8 * 1024

    static func token(fromAuthorization value: some StringProtocol) -> String? {
        let utf8 = value.utf8
        guard utf8.count <= maximumTokenBytes + 16 else { return nil }
        let scheme = utf8.prefix { $0 != UInt8(ascii: " ") }
        guard scheme.count == 6, String(decoding: scheme, as: UTF8.self).lowercased() == "bearer" else { return nil }
        let token = utf8.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") }
        guard !token.isEmpty, token.count <= maximumTokenBytes, token.count < utf8.count - scheme.count, isB64Token(token) else {
            return nil
        }
        return String(decoding: token, as: UTF8.self)
    }

    /// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static func isB64Token(_ bytes: some Collection<UInt8>) -> Bool {
        let body = bytes.prefix { $0 != UInt8(ascii: "=") }
        guard !body.isEmpty, bytes.dropFirst(body.count).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return false }
        return body.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                return true
            default:
                return false
            }
        }
    }
}
