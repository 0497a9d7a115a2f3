import Foundation
import NIOCore

/// JSON written straight into a response buffer, for the bodies Triage sends
/// most (issues, comments, users and their lists). Foundation's `JSONEncoder`
/// builds a tree of boxed values through `Codable`'s generic containers
/// first, which was a third of a 20-issue page's time. The bytes are the
/// ones `JSONCoding.encoder` writes (keys sorted, slashes unescaped,
/// timestamps by `ISO8601Milliseconds`): `JSONOutputTests` compares them.
public struct JSONOutput {
    public private(set) var buffer: ByteBuffer
    private var needsComma = false

    public init(capacity: Int = 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    public mutating func object(_ fields: (inout JSONOutput) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
        fields(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array<Items: Sequence>(_ items: Items, _ write: (inout JSONOutput, Items.Element) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
        for item in items { write(&self, item) }
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key of an object; its value follows. Keys are written as given: callers list them sorted.
    /// One write per key (comma, quotes, name, colon): a buffer write checks capacity and
    /// uniqueness each time, and five of them per key were most of a page's JSON time.
    public mutating func key(_ name: StaticString) {
        let comma = needsComma
        let length = name.utf8CodeUnitCount
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length + 4) { bytes in
            var index = 0
            if comma {
                bytes[0] = UInt8(ascii: ",")
                index = 1
            }
            bytes[index] = UInt8(ascii: "\"")
            UnsafeMutableRawBufferPointer(rebasing: bytes[(index + 1)...]).copyMemory(from: UnsafeRawBufferPointer(start: name.utf8Start, count: length))
            index += 1 + length
            bytes[index] = UInt8(ascii: "\"")
            bytes[index + 1] = UInt8(ascii: ":")
            return index + 2
        }
        needsComma = false
    }

    /// Digits written in place, without a `String` per number.
    public mutating func value(_ number: Int64) {
        let comma = needsComma
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 21) { bytes in
            var index = 0
            if comma {
                bytes[0] = UInt8(ascii: ",")
                index = 1
            }
            if number < 0 {
                bytes[index] = UInt8(ascii: "-")
                index += 1
            }
            // The magnitude as UInt64: Int64.min has none as Int64.
            var remaining = number.magnitude
            var digits = 0
            repeat {
                digits += 1
                remaining /= 10
            } while remaining > 0
            remaining = number.magnitude
            var position = index + digits
            repeat {
                position -= 1
                bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            return index + digits
        }
        needsComma = true
    }

    public mutating func value(_ number: Int) { value(Int64(number)) }

    public mutating func value(_ flag: Bool) {
        separate()
        buffer.writeStaticString(flag ? "true" : "false")
        needsComma = true
    }

    /// A timestamp written in place (quotes included; nothing in it needs escaping).
    public mutating func value(_ date: Date) {
        let comma = needsComma
        var written = true
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: ISO8601Milliseconds.length + 3) { bytes in
            let start = comma ? 1 : 0
            guard ISO8601Milliseconds.write(date, into: UnsafeMutableRawBufferPointer(rebasing: bytes[(start + 1)...])) else {
                written = false
                return 0
            }
            if comma { bytes[0] = UInt8(ascii: ",") }
            bytes[start] = UInt8(ascii: "\"")
            bytes[start + 1 + ISO8601Milliseconds.length] = UInt8(ascii: "\"")
            return start + ISO8601Milliseconds.length + 2
        }
        if written { needsComma = true } else { value(ISO8601Milliseconds.string(from: date)) }
    }

    public mutating func value(_ number: Int64?) {
        if let number { value(number) } else { null() }
    }

    public mutating func value(_ text: String?) {
        if let text { value(text) } else { null() }
    }

    public mutating func null() {
        separate()
        buffer.writeStaticString("null")
        needsComma = true
    }

    /// A string, escaped as Foundation escapes it: quote, backslash and the control
    /// characters (short forms where JSON has them), nothing else.
    public mutating func value(_ text: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        // Contiguous UTF-8 (a native string already is): scanned through a pointer, runs
        // without escapes copied in one write each.
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    writeEscaped(byte)
                    start = index + 1
                }
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0x0F)])
        }
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }
}
