import NIOCore
import NIOHTTP1
import Testing

@testable import PorticoDataPlane

/// The client's response head written from a backend's head: forwarded lines copied as they are
/// (runs of canonical `name: value` lines in one piece), others normalized, hop-by-hop ones dropped.
struct ResponseHeadersTests {
    static func clientHead(for backend: String, keepAlive: Bool = true) throws -> String {
        var parser = BackendResponseParser(maxHeadBytes: 4096)
        var bytes = ByteBuffer(string: backend)
        guard case .head(let head)? = try parser.next(&bytes) else {
            Issue.record("no head parsed")
            return ""
        }
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [:])
        let exchange = Exchange(id: 1, requestId: "req-1", head: request, start: .now(), startWallMillis: 0)
        var out = ByteBuffer()
        ResponseHeaders.write(from: head, exchange: exchange, framing: .raw, keepAlive: keepAlive, into: &out)
        return String(buffer: out)
    }

    @Test func canonicalLinesAreCopiedAndOthersNormalized() throws {
        let head = try Self.clientHead(
            for: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nConnection: keep-alive, X-Drop\r\n"
                + "X-Drop: gone\r\nx-b:2\r\nX-C:   three  \r\nX-Empty: \r\nKeep-Alive: timeout=5\r\nX-D: four\r\nContent-Length: 3\r\n\r\n")
        #expect(
            head
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nx-b: 2\r\nX-C: three\r\nX-Empty: \r\nX-D: four\r\n"
                + "Content-Length: 3\r\napigw-requestid: req-1\r\n\r\n")
    }

    @Test func closeAndChunkedFramingAreTheGateways() throws {
        let head = try Self.clientHead(
            for: "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\nX-Z: z\r\n\r\n", keepAlive: false)
        #expect(head == "HTTP/1.1 404 Not Found\r\nX-Z: z\r\napigw-requestid: req-1\r\nconnection: close\r\n\r\n")
    }
}
