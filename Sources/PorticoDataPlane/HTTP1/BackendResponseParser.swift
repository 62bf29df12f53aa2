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
        case chunked
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
    private var chunks: ChunkedBodyDecoder

    init(maxHeadBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
        chunks = ChunkedBodyDecoder(maxTrailerBytes: maxHeadBytes)
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
                case .chunked: state = .chunked
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
            case .chunked:
                do {
                    switch try chunks.next(&buffer) {
                    case nil: return nil
                    case .data(let slice): return .body(slice)
                    case .end:
                        state = .head
                        return .end
                    }
                } catch {
                    throw ParseError(description: "malformed chunked body from the backend")
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
            var lineEnd = HTTP1Syntax.lineEnd(raw, from: 0)
            (minor, status) = try Self.statusLine(UnsafeRawBufferPointer(rebasing: raw[0..<HTTP1Syntax.trimCR(raw, lineStart, lineEnd)]))
            lineStart = lineEnd + 1
            while lineStart < raw.count {
                lineEnd = HTTP1Syntax.lineEnd(raw, from: lineStart)
                let contentEnd = HTTP1Syntax.trimCR(raw, lineStart, lineEnd)
                if contentEnd == lineStart { break }
                let field = try Self.field(raw, lineStart, contentEnd)
                fields.append(field)
                let name = UnsafeRawBufferPointer(rebasing: raw[Int(field.nameStart)..<Int(field.nameEnd)])
                let value = UnsafeRawBufferPointer(rebasing: raw[Int(field.valueStart)..<Int(field.valueEnd)])
                switch HeaderName.classify(name) {
                case .contentLength:
                    guard let parsed = HTTP1Syntax.decimal(value), contentLength == nil || contentLength == parsed else {
                        throw ParseError(description: "the backend sent an invalid Content-Length")
                    }
                    contentLength = parsed
                case .transferEncoding:
                    // The last coding decides: chunked, or a body that runs to the close.
                    if HTTP1Syntax.endsInChunked(value) {
                        chunked = true
                        otherCoding = false
                    } else {
                        otherCoding = true
                    }
                case .connection:
                    HTTP1Syntax.listTokens(value) { token in
                        if HTTP1Syntax.isToken(token, "close") {
                            close = true
                        } else if HTTP1Syntax.isToken(token, "keep-alive") {
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
        buffer.withUnsafeReadableBytes { raw in HTTP1Syntax.headLength(raw, scanned: &scanned) }
    }

    // MARK: pieces

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
        guard let (nameStart, nameEnd, valueStart, valueEnd) = HTTP1Syntax.field(raw, start, end) else {
            throw ParseError(description: "the backend sent a malformed header line")
        }
        return .init(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
    }

    private static func digit(_ byte: UInt8) -> Int? { HTTP1Syntax.digit(byte) }
}
