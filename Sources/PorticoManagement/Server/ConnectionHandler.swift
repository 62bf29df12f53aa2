import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Serves one keep-alive HTTP/1.1 connection: reads a request (head and body within the limit),
/// answers it through the ``ManagementResponder``, and repeats until the client or a shutdown
/// ends the connection. Malformed HTTP never reaches here: NIO's protocol error handler answers
/// 400 and closes.
struct ConnectionHandler: Sendable {
    let responder: ManagementResponder
    let registry: ConnectionRegistry
    let logger: Logger

    /// How much of an oversized body is read and thrown away (so that the client reads the 413)
    /// before the connection is simply closed.
    static let discardAllowance = 64 << 20

    func run(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        guard let id = registry.register(connection.channel) else {
            try? await connection.channel.close()
            return
        }
        defer { registry.unregister(id) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                while registry.markIdle(id) {
                    guard let part = try await parts.next() else { return }
                    guard case .head(let head) = part else { continue }
                    registry.markBusy(id)
                    let keepAlive = try await serve(head, parts: &parts, outbound: outbound, eventLoop: connection.channel.eventLoop)
                    if !keepAlive { return }
                }
            }
        } catch {
            logger.trace("management connection ended", metadata: ["error": "\(String(describing: error))"])
        }
    }

    /// Answers one request; returns whether the connection stays open.
    private func serve(
        _ head: HTTPRequestHead,
        parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        eventLoop: any EventLoop
    ) async throws -> Bool {
        let started = ContinuousClock.now
        let requestId = UUID().uuidString.lowercased()
        var logger = self.logger
        logger[metadataKey: "request-id"] = "\(requestId)"

        // Lambda's code uploads have their own, larger limit.
        let (maxBodyBytes, tooLargeResponse) = responder.bodyLimit(method: head.method.rawValue, uri: head.uri)
        var tooLarge = false
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > maxBodyBytes {
            tooLarge = true
        } else if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }
        var body: [UInt8] = []
        var discarded = 0
        reading: while let part = try await parts.next() {
            switch part {
            case .body(let buffer):
                if tooLarge || body.count + buffer.readableBytes > maxBodyBytes {
                    tooLarge = true
                    discarded += body.count + buffer.readableBytes
                    body = []
                    if discarded > maxBodyBytes + Self.discardAllowance { break reading }
                } else {
                    body.append(contentsOf: buffer.readableBytesView)
                }
            case .end:
                break reading
            case .head:
                // A new request before this one's end: the stream is out of step.
                return false
            }
        }

        let response: ManagementResponse
        if tooLarge {
            response = tooLargeResponse
        } else {
            let request = ManagementRequest(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            response = await responder.respond(to: request, logger: logger, eventLoop: eventLoop)
        }
        let keepAlive = head.isKeepAlive && !tooLarge && !registry.isShuttingDown

        var headers = HTTPHeaders()
        for (name, value) in response.headers {
            headers.add(name: name, value: value)
        }
        // An operation may answer with its own id (Invoke: the invocation's).
        if !headers.contains(name: "x-amzn-RequestId") { headers.add(name: "x-amzn-RequestId", value: requestId) }
        if response.status != 204 && response.status != 304 {
            headers.add(name: "Content-Length", value: String(response.body.count))
        }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if head.version.major == 1 && head.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        try await outbound.write(
            .head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)))
        if head.method != .HEAD && !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))

        // The path only: a presigned URL's query carries credentials. Bodies and headers are never logged.
        let elapsed = ContinuousClock.now - started
        logger.debug(
            "management request",
            metadata: [
                "method": "\(head.method.rawValue)",
                "path": "\(head.uri.prefix { $0 != "?" })",
                "status": "\(response.status)",
                "duration-ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        return keepAlive
    }
}
