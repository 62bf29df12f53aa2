import NIOCore
import Testing

@testable import PorticoDataPlane

/// The upstream HTTP/1.1 response parser, fed the way a socket delivers bytes: whole, or split at
/// every possible point.
struct BackendResponseParserTests {
    /// What a parse produced, in a comparable form.
    enum Seen: Equatable {
        case head(status: Int, framing: BackendResponseHead.Framing, keepAlive: Bool, headers: [String])
        case body(String)
        case end
    }

    /// Parses `pieces` in order (as separate reads), coalescing adjacent body events.
    static func parse(_ pieces: [String], isHeadRequest: Bool = false, maxHeadBytes: Int = 4096) throws -> [Seen] {
        var parser = BackendResponseParser(maxHeadBytes: maxHeadBytes)
        parser.expectingHeadResponse = isHeadRequest
        var received = ByteBuffer()
        var seen: [Seen] = []
        for piece in pieces {
            received.writeString(piece)
            while let event = try parser.next(&received) {
                switch event {
                case .head(let head):
                    var headers: [String] = []
                    head.forEachField { name, value in
                        headers.append(String(decoding: name, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self))
                    }
                    seen.append(.head(status: head.status, framing: head.framing, keepAlive: head.keepAlive, headers: headers))
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
        if let end = parser.endOfInput() {
            if case .end = end { seen.append(.end) }
        }
        return seen
    }

    /// Every way of splitting `text` into two reads gives the same events as one read.
    static func expectSplitInvariant(_ text: String, isHeadRequest: Bool = false) throws {
        let whole = try parse([text], isHeadRequest: isHeadRequest)
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            let first = String(decoding: bytes[..<cut], as: UTF8.self)
            let second = String(decoding: bytes[cut...], as: UTF8.self)
            #expect(try parse([first, second], isHeadRequest: isHeadRequest) == whole, "split at \(cut)")
        }
    }

    @Test func contentLengthResponse() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"id\":\"7\"}\n"
        #expect(
            try Self.parse([text]) == [
                .head(status: 200, framing: .length(11), keepAlive: true, headers: ["Content-Type=application/json", "Content-Length=11"]),
                .body("{\"id\":\"7\"}\n"), .end,
            ])
        try Self.expectSplitInvariant(text)
    }

    @Test func chunkedResponseWithExtensionsAndTrailers() throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n"
        #expect(
            try Self.parse([text]) == [
                .head(status: 200, framing: .chunked, keepAlive: true, headers: ["Transfer-Encoding=chunked"]),
                .body("hello, world"), .end,
            ])
        try Self.expectSplitInvariant(text)
    }

    @Test func bodyUntilCloseEndsAtEndOfInput() throws {
        let text = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-close"
        #expect(
            try Self.parse([text]) == [
                .head(status: 200, framing: .untilClose, keepAlive: false, headers: ["Connection=close"]), .body("until-close"), .end,
            ])
    }

    @Test func noBodyForHeadRequestsAnd204And304() throws {
        #expect(
            try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"], isHeadRequest: true) == [
                .head(status: 200, framing: .none, keepAlive: true, headers: ["Content-Length=99"]), .end,
            ])
        #expect(try Self.parse(["HTTP/1.1 204 No Content\r\n\r\n"]) == [.head(status: 204, framing: .none, keepAlive: true, headers: []), .end])
        #expect(try Self.parse(["HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"]).count == 2)
    }

    @Test func interimResponsesAreSkipped() throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        #expect(
            try Self.parse([text]) == [.head(status: 201, framing: .length(2), keepAlive: true, headers: ["Content-Length=2"]), .body("ok"), .end])
        try Self.expectSplitInvariant(text)
    }

    @Test func keepAliveRules() throws {
        // HTTP/1.0 closes unless it says keep-alive; a Connection token list is read token by token.
        #expect(try Self.parse(["HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"]).first == .head(status: 200, framing: .length(0), keepAlive: false, headers: ["Content-Length=0"]))
        #expect(
            try Self.parse(["HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"]).first
                == .head(status: 200, framing: .length(0), keepAlive: true, headers: ["Connection=Keep-Alive", "Content-Length=0"]))
        #expect(
            try Self.parse(["HTTP/1.1 200 OK\r\nConnection: x-custom, CLOSE\r\nContent-Length: 0\r\n\r\n"]).first
                == .head(status: 200, framing: .length(0), keepAlive: false, headers: ["Connection=x-custom, CLOSE", "Content-Length=0"]))
    }

    @Test func chunkedWinsOverContentLengthAndTheConnectionIsNotReused() throws {
        let events = try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"])
        #expect(events.first == .head(status: 200, framing: .chunked, keepAlive: false, headers: ["Content-Length=3", "Transfer-Encoding=chunked"]))
        #expect(events.dropFirst().first == .body("ok"))
    }

    @Test func twoResponsesBackToBack() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb"
        let events = try Self.parse([text])
        #expect(events.count == 6)
        #expect(events[3] == .head(status: 404, framing: .length(1), keepAlive: true, headers: ["Content-Length=1"]))
        try Self.expectSplitInvariant(text)
    }

    @Test func bareLineFeedsAreAccepted() throws {
        #expect(try Self.parse(["HTTP/1.1 200 OK\nContent-Length: 2\n\nok"]) == [
            .head(status: 200, framing: .length(2), keepAlive: true, headers: ["Content-Length=2"]), .body("ok"), .end,
        ])
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "garbage\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: no-name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno-colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func malformedResponsesAreErrors(_ text: String) {
        #expect(throws: BackendResponseParser.ParseError.self) { try Self.parse([text]) }
    }

    @Test func oversizedHeadIsAnErrorWhetherOrNotItIsComplete() {
        let big = "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 5000)
        #expect(throws: BackendResponseParser.ParseError.self) { try Self.parse([big]) }
        #expect(throws: BackendResponseParser.ParseError.self) { try Self.parse([big + "\r\n\r\n"]) }
    }

    @Test func cutShortResponsesDoNotEnd() throws {
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part"]).last == .body("only-part"))
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"]).count == 1)
    }
}
