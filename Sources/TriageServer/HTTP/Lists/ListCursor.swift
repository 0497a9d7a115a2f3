import Foundation

/// The opaque `cursor` of a list route: which list it continues, under which
/// filters (`scope`), after which item (`position`, the list's sort key) and
/// which page number that is. Base64url text, so it goes into a query string
/// as it is. A client can forge one, but it can only name a position and
/// filters it could also ask for directly; decoding checks every part.
struct ListCursor: Sendable, Equatable {
    enum List: String, Sendable {
        case issues, comments, users
    }

    /// Long enough for any cursor Triage makes; anything longer is refused unread.
    static let maximumLength = 256
    /// The answer to any cursor that does not decode, or does not belong where it was sent.
    static let refusal = HTTPProblem.invalid("cursor", "is not a cursor of this list; use the nextCursor of a previous page")
    /// 9999-12-31T23:59:59.999Z in milliseconds; ids stay far below it.
    static let maximumPosition: Int64 = 253_402_300_799_999
    private static let version = "1"

    var list: List
    var page: Int
    var position: [Int64]
    var scope: [String]

    var token: String {
        let text = [Self.version, list.rawValue, String(page), position.map(String.init).joined(separator: ","), scope.joined(separator: ",")]
            .joined(separator: "|")
        return Base64URL.encode(Data(text.utf8))
    }

    /// A cursor of `list` with `positionLength` numbers and `scopeLength` scope values, or a 400.
    init(token: String, list: List, positionLength: Int, scopeLength: Int) throws(HTTPProblem) {
        let refusal = Self.refusal
        guard token.utf8.count <= Self.maximumLength, let data = Base64URL.decode(token), let text = String(data: data, encoding: .utf8) else {
            throw refusal
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == Self.version, parts[1] == list.rawValue,
              let page = Int(parts[2]), (1...Int(Int32.max)).contains(page)
        else { throw refusal }
        // Every number whole and in range: a time in milliseconds up to the year 9999, or an id.
        var position: [Int64] = []
        for part in parts[3].split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Int64(part), (0...Self.maximumPosition).contains(value) else { throw refusal }
            position.append(value)
        }
        let scope = scopeLength == 0 ? [] : parts[4].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard position.count == positionLength, scope.count == scopeLength, scopeLength > 0 || parts[4].isEmpty else { throw refusal }
        self.init(list: list, page: page, position: position, scope: scope)
    }

    init(list: List, page: Int, position: [Int64], scope: [String]) {
        self.list = list
        self.page = page
        self.position = position
        self.scope = scope
    }
}

/// RFC 4648 §5 without padding: what a query string carries unescaped.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Written directly: Foundation's encoder and three `replacingOccurrences` passes were
    /// a twentieth of a list request's time (every page encodes its next cursor).
    static func encode(_ data: Data) -> String {
        let bytes = Array(data)
        return String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { output in
            var written = 0
            func emit(_ sextet: UInt32) {
                output[written] = alphabet[Int(sextet & 0x3F)]
                written += 1
            }
            var index = 0
            while index < bytes.count {
                let available = min(3, bytes.count - index)
                var group = UInt32(bytes[index]) << 16
                if available > 1 { group |= UInt32(bytes[index + 1]) << 8 }
                if available > 2 { group |= UInt32(bytes[index + 2]) }
                emit(group >> 18)
                emit(group >> 12)
                if available > 1 { emit(group >> 6) }
                if available > 2 { emit(group) }
                index += 3
            }
            return written
        }
    }

    static func decode(_ text: String) -> Data? {
        guard text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}

private extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
