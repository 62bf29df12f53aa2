import NIOCore

/// Decodes a chunked body (RFC 9112 §7.1) incrementally: chunk sizes (extensions ignored), data
/// handed on as slices of the bytes read, trailer fields read and dropped (API Gateway does not
/// forward them). Used for both client request bodies and backend response bodies.
struct ChunkedBodyDecoder {
    enum Step {
        case data(ByteBuffer)
        case end
    }

    struct Malformed: Error {}

    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    /// The most trailer bytes accepted (the head limit of the message).
    let maxTrailerBytes: Int
    private var state = State.size
    private var trailerBytes = 0

    init(maxTrailerBytes: Int) {
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// The next piece of the body from `buffer`, consuming its bytes, or nil when more are needed.
    /// After `.end` the decoder is ready for another body.
    mutating func next(_ buffer: inout ByteBuffer) throws(Malformed) -> Step? {
        while true {
            switch state {
            case .size:
                guard let line = try Self.readLine(&buffer, limit: 1024) else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers : .data(remaining: size)
                trailerBytes = 0
            case .data(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .dataEnd : .data(remaining: remaining - count)
                return .data(buffer.readSlice(length: count)!)
            case .dataEnd:
                guard let line = try Self.readLine(&buffer, limit: 2) else { return nil }
                guard line.isEmpty else { throw Malformed() }
                state = .size
            case .trailers:
                guard let line = try Self.readLine(&buffer, limit: maxTrailerBytes - trailerBytes) else { return nil }
                trailerBytes += line.count + 2
                if line.isEmpty {
                    state = .size
                    return .end
                }
            }
        }
    }

    /// One line (without CR LF) if a whole one is in `buffer`; longer than `limit` is an error,
    /// and so is a bare CR in it.
    private static func readLine(_ buffer: inout ByteBuffer, limit: Int) throws(Malformed) -> [UInt8]? {
        let found: Int? = buffer.withUnsafeReadableBytes { raw in HTTP1Syntax.firstLF(raw, from: 0) }
        guard let newline = found else {
            if buffer.readableBytes > limit + 1 { throw Malformed() }
            return nil
        }
        var line = buffer.readBytes(length: newline + 1)!
        line.removeLast()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.count > limit || line.contains(UInt8(ascii: "\r")) { throw Malformed() }
        return line
    }

    /// A chunk-size line: hex digits, optionally followed by `;extensions`.
    private static func chunkSize(_ line: [UInt8]) throws(Malformed) -> Int {
        var value = 0
        var digits = 0
        for byte in line {
            let nibble: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw Malformed() }
                return value
            default:
                throw Malformed()
            }
            digits += 1
            guard digits <= 15 else { throw Malformed() }
            value = value << 4 | nibble
        }
        guard digits > 0 else { throw Malformed() }
        return value
    }
}
