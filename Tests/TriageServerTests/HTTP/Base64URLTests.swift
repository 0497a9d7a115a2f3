import Foundation
import Testing
@testable import TriageServer

/// The cursor's alphabet: RFC 4648 §5, no padding, and back.
@Suite struct Base64URLTests {
    @Test func encodesAsFoundationDoesWithTheURLAlphabetAndNoPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<64 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let expected = data.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            let encoded = Base64URL.encode(data)
            #expect(encoded == expected, "length \(length)")
            #expect(Base64URL.decode(encoded) == data, "length \(length)")
        }
        #expect(Base64URL.encode(Data([0xFB, 0xFF])) == "-_8")
    }
}
