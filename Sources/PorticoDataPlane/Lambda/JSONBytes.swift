import NIOCore
import PorticoModel

/// Writes JSON straight into a `ByteBuffer`, byte by byte: Lambda proxy events are built on the
/// request path, where `JSONEncoder` (reflection, intermediate `String`s) would cost several
/// times as much. Strings are escaped as RFC 8259 §7 requires, and nothing more: `/` and
/// non-ASCII characters pass as their UTF-8 bytes, as AWS's own events show them.
struct JSONBytes {
    var buffer: ByteBuffer
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    init(buffer: ByteBuffer) {
        self.buffer = buffer
    }

    mutating func beginObject() {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; its value follows.
    mutating func key(_ name: String) {
        separate()
        writeQuoted(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    mutating func string(_ value: Substring) {
        separate()
        writeQuoted(value.utf8)
        needsComma = true
    }

    /// A string value whose bytes are given (a request body known to be UTF-8 text).
    mutating func string(bytes: some Collection<UInt8>) {
        separate()
        writeQuoted(bytes)
        needsComma = true
    }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Any JSON value (an authorizer's `context`, whose values may be of any type).
    mutating func value(_ value: JSONValue) {
        separate()
        buffer.writeString(value.jsonText)
        needsComma = true
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("null")
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        if value { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
        needsComma = true
    }

    mutating func integer(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
        needsComma = true
    }

    /// `"name": "value"`.
    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name": "value"` or `"name": null`.
    mutating func member(_ name: String, _ value: String?) {
        key(name)
        optionalString(value)
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    private mutating func writeQuoted(_ text: String) {
        var text = text
        text.withUTF8 { writeQuoted($0) }
    }

    private mutating func writeQuoted(_ bytes: some Collection<UInt8>) {
        buffer.writeInteger(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are copied in one go.
        var runStart = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if runStart != index { buffer.writeBytes(bytes[runStart..<index]) }
                writeEscape(byte)
                runStart = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if runStart != bytes.endIndex { buffer.writeBytes(bytes[runStart..<bytes.endIndex]) }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        buffer.writeInteger(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.writeInteger(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.writeInteger(UInt8(ascii: "\\"))
        case 0x08: buffer.writeInteger(UInt8(ascii: "b"))
        case 0x0C: buffer.writeInteger(UInt8(ascii: "f"))
        case 0x0A: buffer.writeInteger(UInt8(ascii: "n"))
        case 0x0D: buffer.writeInteger(UInt8(ascii: "r"))
        case 0x09: buffer.writeInteger(UInt8(ascii: "t"))
        default:
            buffer.writeStaticString("u00")
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
