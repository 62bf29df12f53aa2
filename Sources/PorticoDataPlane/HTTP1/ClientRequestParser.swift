import NIOCore
import NIOHTTP1

/// Parses the HTTP/1.1 requests a client sends on one connection, incrementally, straight from
/// the bytes read off the socket, into the parts the gateway handles (head, body slices, end).
///
/// Portico's own parser rather than NIO's `HTTPRequestDecoder`, which (with llhttp's callbacks,
/// the `ByteToMessageHandler` and one pipeline hop per part) was the largest single block of the
/// proxy's user-space CPU time. It is as strict as llhttp is by default where strictness stops
/// request smuggling and ambiguity (RFC 9112 §6.3, §11.2): `Content-Length` together with
/// `Transfer-Encoding`, more than one `Content-Length`, a transfer coding that does not end in
/// `chunked`, obsolete line folding, whitespace before a field's colon, a bare CR, control bytes
/// in values — each is a 400, and the connection is closed after it.
///
/// Requests are parsed only when the gateway asks for the next part, so a pipelined request waits
/// in the connection's buffer as bytes until the one before it has been answered.
struct ClientRequestParser {
    enum Failure: Error, Equatable {
        /// Malformed or ambiguous: answered 400 and the connection closed.
        case malformed(String)
        /// The head is larger than the limit: answered 431 and the connection closed.
        case headTooLarge
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunked
        case endPending
    }

    /// What the gateway reads from every request's headers, noted while they are parsed so that
    /// handling the request does not search the header list (a `String` comparison per header)
    /// for each of them.
    struct HeadFacts {
        /// The first `Host` value.
        var host: String?
        /// The one `Content-Length` (a request with two is refused).
        var contentLength: Int?
        /// An `Expect` value starting `100-continue`.
        var expectsContinue = false
    }

    /// The largest head (request line and header fields) accepted.
    let maxHeadBytes: Int
    /// The facts of the head `next` returned last.
    private(set) var facts = HeadFacts()
    private var state = State.head
    /// Where the search for the end of a partly received head resumes.
    private var scanned = 0
    private var chunks: ChunkedBodyDecoder

    init(maxHeadBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
        chunks = ChunkedBodyDecoder(maxTrailerBytes: maxHeadBytes)
    }

    /// Whether the parser is between requests (no body under way).
    var isIdle: Bool {
        if case .head = state { return true }
        return false
    }

    /// The next part from `buffer`, consuming its bytes, or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(Failure) -> HTTPServerRequestPart? {
        switch state {
        case .head:
            guard let (head, framing, facts) = try parseHead(&buffer) else { return nil }
            self.facts = facts
            switch framing {
            case .length(0): state = .endPending
            case .length(let length): state = .fixed(remaining: length)
            case .chunked: state = .chunked
            }
            return .head(head)
        case .endPending:
            state = .head
            return .end(nil)
        case .fixed(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            state = count == remaining ? .endPending : .fixed(remaining: remaining - count)
            return .body(buffer.readSlice(length: count)!)
        case .chunked:
            do {
                switch try chunks.next(&buffer) {
                case nil: return nil
                case .data(let slice): return .body(slice)
                case .end:
                    state = .head
                    return .end(nil)
                }
            } catch {
                throw .malformed("malformed chunked request body")
            }
        }
    }

    // MARK: head

    private enum Framing {
        case length(Int)
        case chunked
    }

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws(Failure) -> (HTTPRequestHead, Framing, HeadFacts)? {
        // Empty lines before a request line are ignored (RFC 9112 §2.2), as after a client's
        // stray CRLF following a body.
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        {
            buffer.moveReaderIndex(forwardBy: 1)
            scanned = 0
        }
        let found = buffer.withUnsafeReadableBytes { raw in HTTP1Syntax.headLength(raw, scanned: &scanned) }
        guard let length = found else {
            if buffer.readableBytes > maxHeadBytes + 2 { throw .headTooLarge }
            return nil
        }
        scanned = 0
        // The limit covers the request line and the fields, not the final blank line.
        guard length <= maxHeadBytes + 2 else { throw .headTooLarge }
        let result = try buffer.withUnsafeReadableBytes { raw throws(Failure) in try Self.head(UnsafeRawBufferPointer(rebasing: raw[0..<length])) }
        buffer.moveReaderIndex(forwardBy: length)
        return result
    }

    private static func head(_ raw: UnsafeRawBufferPointer) throws(Failure) -> (HTTPRequestHead, Framing, HeadFacts) {
        // A CR anywhere but before an LF is refused (llhttp's default; a bare CR is a line end
        // to some parsers and not to others).
        // The same pass counts the lines, so that the header list is allocated once at its size.
        // Both scans jump from byte to byte with memchr: a head is a few long lines.
        var lines = 0
        var next = 0
        while let lineFeed = HTTP1Syntax.first(UInt8(ascii: "\n"), in: raw, from: next) {
            lines &+= 1
            next = lineFeed + 1
        }
        next = 0
        while let carriageReturn = HTTP1Syntax.first(UInt8(ascii: "\r"), in: raw, from: next) {
            guard carriageReturn + 1 < raw.count, raw[carriageReturn + 1] == UInt8(ascii: "\n") else { throw .malformed("bare CR") }
            next = carriageReturn + 2
        }
        var lineEnd = HTTP1Syntax.lineEnd(raw, from: 0)
        let (method, uri, minor) = try requestLine(UnsafeRawBufferPointer(rebasing: raw[0..<HTTP1Syntax.trimCR(raw, 0, lineEnd)]))
        var headers = HTTPHeaders()
        // Lines less the request line and the blank line.
        headers.reserveCapacity(max(lines - 2, 0))
        var facts = HeadFacts()
        var chunked = false
        var lineStart = lineEnd + 1
        while lineStart < raw.count {
            lineEnd = HTTP1Syntax.lineEnd(raw, from: lineStart)
            let contentEnd = HTTP1Syntax.trimCR(raw, lineStart, lineEnd)
            if contentEnd == lineStart { break }
            guard let (nameStart, nameEnd, valueStart, valueEnd) = HTTP1Syntax.field(raw, lineStart, contentEnd) else {
                throw .malformed("malformed header field")
            }
            let name = UnsafeRawBufferPointer(rebasing: raw[nameStart..<nameEnd])
            let value = UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd])
            let valueText = String(decoding: value, as: UTF8.self)
            switch HeaderName.classify(name) {
            case .contentLength:
                // One Content-Length, a plain decimal: a list or a repeat is refused, as llhttp
                // does, since two hops could read it differently.
                guard facts.contentLength == nil, let parsed = HTTP1Syntax.decimal(value) else {
                    throw .malformed("invalid Content-Length")
                }
                facts.contentLength = parsed
            case .transferEncoding:
                // A request's transfer coding must end in chunked (RFC 9112 §6.3); a repeated
                // field continues the list, so only the last one decides.
                chunked = HTTP1Syntax.endsInChunked(value)
                guard chunked else { throw .malformed("Transfer-Encoding does not end in chunked") }
            case .host:
                if facts.host == nil { facts.host = valueText }
            case .expect:
                if HeaderName.hasPrefix(value, "100-continue") { facts.expectsContinue = true }
            default:
                break
            }
            headers.add(name: String(decoding: name, as: UTF8.self), value: valueText)
            lineStart = lineEnd + 1
        }
        if chunked && facts.contentLength != nil {
            throw .malformed("both Content-Length and Transfer-Encoding")
        }
        let head = HTTPRequestHead(version: HTTPVersion(major: 1, minor: minor), method: method, uri: uri, headers: headers)
        return (head, chunked ? .chunked : .length(facts.contentLength ?? 0), facts)
    }

    /// `METHOD SP request-target SP HTTP/1.x`.
    private static func requestLine(_ line: UnsafeRawBufferPointer) throws(Failure) -> (HTTPMethod, String, Int) {
        var space = 0
        while space < line.count, line[space] != UInt8(ascii: " ") {
            guard HTTP1Syntax.isTokenByte(line[space]) else { throw .malformed("malformed request line") }
            space += 1
        }
        guard space > 0, space < line.count else { throw .malformed("malformed request line") }
        let versionLength = 8  // "HTTP/1.x"
        guard line.count >= space + 2 + versionLength + 1 else { throw .malformed("malformed request line") }
        let versionStart = line.count - versionLength
        guard line[versionStart - 1] == UInt8(ascii: " ") else { throw .malformed("malformed request line") }
        let version = UnsafeRawBufferPointer(rebasing: line[versionStart...])
        guard version.starts(with: "HTTP/1.".utf8), let minor = HTTP1Syntax.digit(version[7]), minor <= 1 else {
            throw .malformed("unsupported HTTP version")
        }
        let targetStart = space + 1
        let targetEnd = versionStart - 1
        guard targetEnd > targetStart else { throw .malformed("malformed request line") }
        for index in targetStart..<targetEnd {
            // Visible ASCII, and bytes above it (UTF-8 some clients send unencoded); no spaces
            // or controls.
            let byte = line[index]
            guard byte > 0x20, byte != 0x7F else { throw .malformed("malformed request target") }
        }
        let method = Self.method(UnsafeRawBufferPointer(rebasing: line[0..<space]))
        return (method, String(decoding: UnsafeRawBufferPointer(rebasing: line[targetStart..<targetEnd]), as: UTF8.self), minor)
    }

    /// The common methods without making a `String` (methods are case-sensitive: RFC 9110 §9.1).
    private static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        switch bytes.count {
        case 3 where bytes.elementsEqual("GET".utf8): .GET
        case 3 where bytes.elementsEqual("PUT".utf8): .PUT
        case 4 where bytes.elementsEqual("POST".utf8): .POST
        case 4 where bytes.elementsEqual("HEAD".utf8): .HEAD
        case 5 where bytes.elementsEqual("PATCH".utf8): .PATCH
        case 6 where bytes.elementsEqual("DELETE".utf8): .DELETE
        case 7 where bytes.elementsEqual("OPTIONS".utf8): .OPTIONS
        default: HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }
}
