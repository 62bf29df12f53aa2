import NIOCore
import NIOHTTP1
import PorticoRuntime

/// Writing HTTP/1.1 heads and chunk framing straight into a `ByteBuffer`. The data plane encodes
/// its own messages (rather than through NIO's `HTTPRequestEncoder`/`HTTPResponseEncoder`) so that
/// a response head and a small body go out as one buffer in one write, and so that headers
/// forwarded from a backend are copied as bytes.
extension ByteBuffer {
    /// `HTTP/1.x SSS Reason\r\n`.
    mutating func writeStatusLine(minorVersion: Int, status: Int) {
        writeStaticString(minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1")
        if let tail = StatusLineTails.tail(for: status) {
            writeBytes(tail)
        } else {
            writeString(" \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n")
        }
    }

    /// `x-forwarded-for: {chain}, {client}` (or just the client without a chain): the client's address
    /// appended to the chain it sent, as API Gateway does.
    mutating func writeForwardedFor(chain: String?, client: String) {
        writeStaticString("x-forwarded-for: ")
        if let chain {
            writeString(chain)
            writeStaticString(", ")
        }
        writeString(client)
        writeStaticString("\r\n")
    }

    mutating func writeHeaderLine(_ name: String, _ value: String) {
        writeString(name)
        writeStaticString(": ")
        writeString(value)
        writeStaticString("\r\n")
    }

    mutating func writeHeaderLine(_ name: StaticString, _ value: String) {
        writeStaticString(name)
        writeStaticString(": ")
        writeString(value)
        writeStaticString("\r\n")
    }

    mutating func writeHeaderLine(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        writeBytes(name)
        writeStaticString(": ")
        writeBytes(value)
        writeStaticString("\r\n")
    }

    /// `PercentDecoding.encode(text, keepSlash:)` written in place, with no intermediate `String`.
    mutating func writePercentEncoded(_ text: String, keepSlash: Bool) {
        PercentDecoding.encode(text, keepSlash: keepSlash) { writeBytes($0) }
    }

    /// A request head: request line and headers as given, then the blank line.
    mutating func writeRequestHead(_ head: HTTPRequestHead) {
        writeString(head.method.rawValue)
        writeStaticString(" ")
        writeString(head.uri)
        writeStaticString(" HTTP/1.1\r\n")
        for (name, value) in head.headers { writeHeaderLine(name, value) }
        writeStaticString("\r\n")
    }

    /// The size line that starts a chunk of `count` bytes.
    mutating func writeChunkHeader(_ count: Int) {
        writeString(String(count, radix: 16))
        writeStaticString("\r\n")
    }

    mutating func writeChunkTrailer() {
        writeStaticString("\r\n")
    }

    mutating func writeLastChunk() {
        writeStaticString("0\r\n\r\n")
    }
}

/// ` 200 OK\r\n` and the like for every status from 100 to 599, made once.
enum StatusLineTails {
    private static let tails: [[UInt8]] = (100...599).map { status in
        Array(" \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n".utf8)
    }

    static func tail(for status: Int) -> [UInt8]? {
        (100...599).contains(status) ? tails[status - 100] : nil
    }
}
