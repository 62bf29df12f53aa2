import NIOCore
import NIOHTTP1
import Testing

@testable import PorticoDataPlane

/// The client-side HTTP/1.1 request parser, fed the way a socket delivers bytes: whole, or split
/// at every possible point; and its refusals of malformed and smuggling-prone requests.
struct ClientRequestParserTests {
    enum Seen: Equatable {
        case head(method: String, uri: String, minor: Int, headers: [String])
        case body(String)
        case end
    }

    /// Parses `pieces` in order (as separate reads), coalescing adjacent body parts.
    static func parse(_ pieces: [String], maxHeadBytes: Int = 4096) throws(ClientRequestParser.Failure) -> [Seen] {
        var parser = ClientRequestParser(maxHeadBytes: maxHeadBytes)
        var received = ByteBuffer()
        var seen: [Seen] = []
        for piece in pieces {
            received.writeString(piece)
            while let part = try parser.next(&received) {
                switch part {
                case .head(let head):
                    seen.append(.head(
                        method: head.method.rawValue, uri: head.uri, minor: head.version.minor,
                        headers: head.headers.map { "\($0.name)=\($0.value)" }))
                case .body(let buffer):
                    let text = String(buffer: buffer)
                    if case .body(let previous) = seen.last {
                        seen[seen.count - 1] = .body(previous + text)
                    } else {
                        seen.append(.body(text))
                    }
                case .end:
                    seen.append(.end)
                }
            }
        }
        return seen
    }

    /// Every way of splitting `text` in two gives the same parts as the whole.
    static func expectSplitsAgree(_ text: String, _ expected: [Seen]) throws {
        #expect(try parse([text]) == expected)
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            let first = String(decoding: bytes[..<cut], as: UTF8.self)
            let second = String(decoding: bytes[cut...], as: UTF8.self)
            #expect(try parse([first, second]) == expected, "split at \(cut)")
        }
    }

    static func failure(_ text: String, maxHeadBytes: Int = 4096) -> ClientRequestParser.Failure? {
        do {
            _ = try parse([text], maxHeadBytes: maxHeadBytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func getWithoutBody() throws {
        try Self.expectSplitsAgree(
            "GET /items/7?x=1 HTTP/1.1\r\nHost: a.execute-api.localhost\r\nAccept: */*\r\n\r\n",
            [.head(method: "GET", uri: "/items/7?x=1", minor: 1, headers: ["Host=a.execute-api.localhost", "Accept=*/*"]), .end])
    }

    @Test func contentLengthBody() throws {
        try Self.expectSplitsAgree(
            "POST /up HTTP/1.1\r\nContent-Length: 5\r\nX-Spaced:   padded value \t\r\n\r\nhello",
            [.head(method: "POST", uri: "/up", minor: 1, headers: ["Content-Length=5", "X-Spaced=padded value"]), .body("hello"), .end])
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        try Self.expectSplitsAgree(
            "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
            [.head(method: "PUT", uri: "/c", minor: 1, headers: ["Transfer-Encoding=chunked"]), .body("hello world"), .end])
    }

    @Test func pipelinedRequestsAndLeadingEmptyLines() throws {
        let seen = try Self.parse(["GET /a HTTP/1.1\r\n\r\n\r\nDELETE /b HTTP/1.0\r\nContent-Length: 2\r\n\r\nokPATCH /c HTTP/1.1\r\n\r\n"])
        #expect(seen == [
            .head(method: "GET", uri: "/a", minor: 1, headers: []), .end,
            .head(method: "DELETE", uri: "/b", minor: 0, headers: ["Content-Length=2"]), .body("ok"), .end,
            .head(method: "PATCH", uri: "/c", minor: 1, headers: []), .end,
        ])
    }

    @Test func bareLineFeedsAreAccepted() throws {
        // RFC 9112 §2.2: a recipient MAY take a lone LF as a line end; the request goes on re-framed.
        #expect(try Self.parse(["GET /lf HTTP/1.1\nHost: h\n\n"]) == [.head(method: "GET", uri: "/lf", minor: 1, headers: ["Host=h"]), .end])
    }

    @Test func uncommonMethodsAndTargets() throws {
        let seen = try Self.parse(["PROPFIND * HTTP/1.1\r\n\r\nGET http://h/p%20q HTTP/1.1\r\n\r\n"])
        #expect(seen == [
            .head(method: "PROPFIND", uri: "*", minor: 1, headers: []), .end,
            .head(method: "GET", uri: "http://h/p%20q", minor: 1, headers: []), .end,
        ])
    }

    @Test(arguments: [
        "THIS IS NOT HTTP\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
        // Smuggling-prone framing (RFC 9112 §6.3, §11.2).
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        // Field syntax.
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
        "GET / HTTP/1.1\r\nNo-Colon\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Bare: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Nul: a\u{0}b\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Ctl: a\u{1}b\r\n\r\n",
        "GET / HTTP/1.1\rHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nX-Two: a\r\r\n\r\n",
        // Control bytes deep in a long value (checked a word at a time).
        "GET / HTTP/1.1\r\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0\u{7F}.c2lnbmF0dXJl\r\n\r\n",
        "GET / HTTP/1.1\r\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0\u{0}.c2lnbmF0dXJl\r\n\r\n",
        "GET / HTTP/1.1\r\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0\rX.c2lnbmF0dXJl\r\n\r\n",
        // Request line.
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        "GET /a b HTTP/1.1\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.2\r\n\r\n",
        "GET / HTTX/1.1\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET\r\n\r\n",
        " / HTTP/1.1\r\n\r\n",
    ])
    func malformedRequestsAreRefused(_ text: String) {
        guard case .malformed = Self.failure(text) else {
            Issue.record("accepted: \(text.debugDescription)")
            return
        }
    }

    @Test func headLimit() throws {
        let line = "GET / HTTP/1.1\r\n"
        let field = "X-Big: " + String(repeating: "y", count: 100) + "\r\n"
        let limit = line.utf8.count + field.utf8.count
        // Exactly at the limit (request line and fields) passes; one byte more is a 431, whether
        // the head is complete or still arriving.
        #expect(try Self.parse([line + field + "\r\n"], maxHeadBytes: limit).count == 2)
        #expect(Self.failure(line + "X-Big: y" + field + "\r\n", maxHeadBytes: limit) == .headTooLarge)
        #expect(Self.failure(line + String(repeating: "x", count: limit + 10), maxHeadBytes: limit) == .headTooLarge)
    }

    @Test func trailerLimit() {
        let text = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + String(repeating: "t", count: 200) + "\r\n\r\n"
        guard case .malformed = Self.failure(text, maxHeadBytes: 100) else {
            Issue.record("oversized trailers accepted")
            return
        }
    }
}
