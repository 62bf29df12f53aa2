import NIOCore

/// Parses the HTTP/1.1 responses a backend sends on one connection, incrementally, straight from
/// the bytes read off the socket.
///
/// Portico's own parser rather than NIO's `HTTPResponseDecoder`: a proxy needs only the status,
/// the framing headers and the byte ranges of the rest, and building an `HTTPResponseHead` of
/// `String`s per response (then re-encoding it for the client) was a large share of the proxy's
/// CPU time. Body bytes are handed on as slices of the buffers read, without copying.
///
/// The caller pulls one event at a time with ``next(_:)`` so that nothing it does with an event
/// (ending the exchange, reusing the connection for the next request) happens while the parser is
/// being mutated.
struct BackendResponseParser {
    enum Event {
        case head(BackendResponseHead)
        case body(ByteBuffer)
        case end
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case endPending
    }

    /// The largest head (status line and headers) accepted; more answers as a failed integration.
    let maxHeadBytes: Int
    /// The request now on the connection is a `HEAD`: its response has no body whatever it says.
    var expectingHeadResponse = false
    private var state = State.head
    /// Where the search for the end of a partly received head resumes.
    private var scanned = 0
    private var fields: [BackendResponseHead.Field] = []
    private var trailerBytes = 0

    init(maxHeadBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
    }

    /// The next event from `buffer`, consuming its bytes, or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws -> Event? {
        while true {
            switch state {
            case .head:
                guard let head = try parseHead(&buffer) else { return nil }
                if (100..<200).contains(head.status) {
                    // Interim responses (100 Continue, 103 Early Hints) are not forwarded; the
                    // final response follows on the same connection. 101 would switch protocols.
                    if head.status == 101 { throw ParseError(description: "the backend switched protocols (101)") }
                    continue
                }
                switch head.framing {
                case .none, .length(0): state = .endPending
                case .length(let length): state = .fixed(remaining: length)
                case .chunked: state = .chunkSize
                case .untilClose: state = .untilClose
                }
                return .head(head)
            case .endPending:
                state = .head
                return .end
            case .fixed(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .endPending : .fixed(remaining: remaining - count)
                return .body(buffer.readSlice(length: count)!)
            case .untilClose:
                guard buffer.readableBytes > 0 else { return nil }
                return .body(buffer.readSlice(length: buffer.readableBytes)!)
            case .chunkSize:
                guard let line = try readLine(&buffer, limit: 1024) else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
                trailerBytes = 0
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(buffer.readSlice(length: count)!)
            case .chunkDataEnd:
                guard let line = try readLine(&buffer, limit: 2) else { return nil }
                guard line.isEmpty else { throw ParseError(description: "malformed chunked body from the backend") }
                state = .chunkSize
            case .trailers:
                // Trailer fields are read and dropped (API Gateway does not forward them).
                guard let line = try readLine(&buffer, limit: maxHeadBytes - trailerBytes) else { return nil }
                trailerBytes += line.count + 2
                if line.isEmpty {
                    state = .head
                    return .end
                }
            }
        }
    }

    /// The backend closed the connection: the end of a body delimited by the close, or nil if a
    /// response was cut short (or none was under way).
    mutating func endOfInput() -> Event? {
        if case .untilClose = state {
            state = .head
            return .end
        }
        return nil
    }

    // MARK: head

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws -> BackendResponseHead? {
        guard let length = findHeadEnd(buffer) else {
            if buffer.readableBytes > maxHeadBytes {
                throw ParseError(description: "the backend's response head exceeds \(maxHeadBytes) bytes")
            }
            return nil
        }
        scanned = 0
        guard length <= maxHeadBytes else {
            throw ParseError(description: "the backend's response head exceeds \(maxHeadBytes) bytes")
        }
        let bytes = buffer.readSlice(length: length)!
        fields.removeAll(keepingCapacity: true)
        var status = 0
        var minor = 1
        var contentLength: Int?
        var chunked = false
        var otherCoding = false
        var close = false
        var keepAliveToken = false
        var namesHeaders = false
        try bytes.withUnsafeReadableBytes { raw in
            var lineStart = 0
            var lineEnd = Self.lineEnd(raw, from: 0)
            (minor, status) = try Self.statusLine(UnsafeRawBufferPointer(rebasing: raw[0..<Self.trimCR(raw, lineStart, lineEnd)]))
            lineStart = lineEnd + 1
            while lineStart < raw.count {
                lineEnd = Self.lineEnd(raw, from: lineStart)
                let contentEnd = Self.trimCR(raw, lineStart, lineEnd)
                if contentEnd == lineStart { break }
                let field = try Self.field(raw, lineStart, contentEnd)
                fields.append(field)
                let name = UnsafeRawBufferPointer(rebasing: raw[Int(field.nameStart)..<Int(field.nameEnd)])
                let value = UnsafeRawBufferPointer(rebasing: raw[Int(field.valueStart)..<Int(field.valueEnd)])
                switch HeaderName.classify(name) {
                case .contentLength:
                    guard let parsed = Self.decimal(value), contentLength == nil || contentLength == parsed else {
                        throw ParseError(description: "the backend sent an invalid Content-Length")
                    }
                    contentLength = parsed
                case .transferEncoding:
                    // The last coding decides: chunked, or a body that runs to the close.
                    let last = value.lastIndex(of: UInt8(ascii: ",")).map { value.index(after: $0) } ?? 0
                    if Self.isToken(UnsafeRawBufferPointer(rebasing: value[last...]), "chunked") {
                        chunked = true
                        otherCoding = false
                    } else {
                        otherCoding = true
                    }
                case .connection:
                    Self.connectionTokens(value) { token in
                        if Self.isToken(token, "close") {
                            close = true
                        } else if Self.isToken(token, "keep-alive") {
                            keepAliveToken = true
                        } else {
                            namesHeaders = true
                        }
                    }
                default:
                    break
                }
                lineStart = lineEnd + 1
            }
        }
        var keepAlive = minor >= 1 ? !close : (keepAliveToken && !close)
        let framing: BackendResponseHead.Framing
        if expectingHeadResponse || status == 204 || status == 304 || (100..<200).contains(status) {
            framing = .none
        } else if otherCoding {
            framing = .untilClose
        } else if chunked {
            // Both Transfer-Encoding and Content-Length: the coding wins, and the connection
            // cannot be trusted afterwards (RFC 9112 §6.3).
            if contentLength != nil { keepAlive = false }
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
        }
        if framing == .untilClose { keepAlive = false }
        return BackendResponseHead(
            status: status, minorVersion: minor, bytes: bytes, fields: fields, framing: framing, keepAlive: keepAlive,
            connectionNamesHeaders: namesHeaders)
    }

    /// The length of the head (through its blank line) if all of it is in `buffer`.
    private mutating func findHeadEnd(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { raw in
            var index = max(scanned, 0)
            while index < raw.count {
                guard let newline = Self.firstLF(raw, from: index) else { break }
                // A blank line: LF directly after the previous LF, or CR LF after it.
                if newline + 1 < raw.count, raw[newline + 1] == UInt8(ascii: "\n") { return newline + 2 }
                if newline + 2 < raw.count, raw[newline + 1] == UInt8(ascii: "\r"), raw[newline + 2] == UInt8(ascii: "\n") {
                    return newline + 3
                }
                if newline + 2 >= raw.count {
                    // The blank line may be arriving: rescan from this line end next time.
                    scanned = newline
                    return nil
                }
                index = newline + 1
            }
            scanned = max(raw.count - 1, 0)
            return nil
        }
    }

    /// One line (without CR LF) if a whole one is in `buffer`; longer than `limit` is an error.
    private func readLine(_ buffer: inout ByteBuffer, limit: Int) throws -> [UInt8]? {
        let found: Int? = buffer.withUnsafeReadableBytes { raw in Self.firstLF(raw, from: 0) }
        guard let newline = found else {
            if buffer.readableBytes > limit { throw ParseError(description: "malformed chunked body from the backend") }
            return nil
        }
        var line = buffer.readBytes(length: newline + 1)!
        line.removeLast()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.count > limit { throw ParseError(description: "malformed chunked body from the backend") }
        return line
    }

    // MARK: pieces

    private static func firstLF(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }

    private static func lineEnd(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        firstLF(raw, from: start) ?? raw.count
    }

    private static func trimCR(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        end > start && raw[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
    }

    /// `HTTP/1.x SSS reason`: the minor version and the status code.
    private static func statusLine(_ line: UnsafeRawBufferPointer) throws -> (Int, Int) {
        let prefix: StaticString = "HTTP/1."
        guard line.count >= 12, line.starts(with: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)),
            let minor = digit(line[7]), line[8] == UInt8(ascii: " "),
            let hundreds = digit(line[9]), let tens = digit(line[10]), let ones = digit(line[11]),
            line.count == 12 || line[12] == UInt8(ascii: " "), hundreds >= 1
        else {
            throw ParseError(description: "the backend sent a malformed status line")
        }
        return (minor, hundreds * 100 + tens * 10 + ones)
    }

    private static func field(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws -> BackendResponseHead.Field {
        var colon = start
        while colon < end, raw[colon] != UInt8(ascii: ":") {
            // A field name is a token: no whitespace (which would also catch obsolete line folding).
            guard isTokenByte(raw[colon]) else { throw ParseError(description: "the backend sent a malformed header line") }
            colon += 1
        }
        guard colon < end, colon > start else { throw ParseError(description: "the backend sent a malformed header line") }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, raw[valueStart] == UInt8(ascii: " ") || raw[valueStart] == UInt8(ascii: "\t") { valueStart += 1 }
        while valueEnd > valueStart, raw[valueEnd - 1] == UInt8(ascii: " ") || raw[valueEnd - 1] == UInt8(ascii: "\t") { valueEnd -= 1 }
        for index in valueStart..<valueEnd where raw[index] == 0 || raw[index] == UInt8(ascii: "\r") {
            throw ParseError(description: "the backend sent a malformed header value")
        }
        return .init(nameStart: Int32(start), nameEnd: Int32(colon), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte &- UInt8(ascii: "0") < 10 ? Int(byte &- UInt8(ascii: "0")) : nil
    }

    /// A non-negative decimal that fits comfortably in an `Int`.
    private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// A chunk-size line: hex digits, optionally followed by `;extensions`.
    private static func chunkSize(_ line: [UInt8]) throws -> Int {
        var value = 0
        var digits = 0
        for byte in line {
            let nibble: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw ParseError(description: "malformed chunked body from the backend") }
                return value
            default:
                throw ParseError(description: "malformed chunked body from the backend")
            }
            digits += 1
            guard digits <= 15 else { throw ParseError(description: "malformed chunked body from the backend") }
            value = value << 4 | nibble
        }
        guard digits > 0 else { throw ParseError(description: "malformed chunked body from the backend") }
        return value
    }

    /// Calls `body` with each comma-separated token of a header value, spaces trimmed.
    private static func connectionTokens(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var tokenStart = start
            var tokenEnd = end
            while tokenStart < tokenEnd, value[tokenStart] == UInt8(ascii: " ") || value[tokenStart] == UInt8(ascii: "\t") { tokenStart += 1 }
            while tokenEnd > tokenStart, value[tokenEnd - 1] == UInt8(ascii: " ") || value[tokenEnd - 1] == UInt8(ascii: "\t") { tokenEnd -= 1 }
            if tokenEnd > tokenStart { body(UnsafeRawBufferPointer(rebasing: value[tokenStart..<tokenEnd])) }
            start = end + 1
        }
    }

    /// Whether `bytes`, spaces trimmed, equal the lower-case `token` ignoring ASCII case.
    private static func isToken(_ bytes: UnsafeRawBufferPointer, _ token: StaticString) -> Bool {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return HeaderName.equals(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), token)
    }
}
