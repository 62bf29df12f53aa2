import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// Writing to the client: bodies, the gateway's own answers, and the end of an exchange.
extension GatewayHandler {
    func writeClientBody(_ buffer: ByteBuffer, _ exchange: Exchange) {
        guard exchange.responseFraming != .none, let context else { return }
        outbound.appendBody(buffer, chunked: exchange.responseFraming == .chunked) {
            context.write(wrapOutboundOut($0), promise: nil)
            clientUnflushed = true
        }
    }

    /// Writes what is gathered for the client and flushes; with `thenClose`, closes once written.
    func flushClient(thenClose: Bool = false) {
        if thenClose {
            flushClientNow(thenClose: true)
        } else if context != nil {
            state.flushes.enqueue(self)
        }
    }

    /// Writes and flushes at once (``flushClient(thenClose:)`` puts this off to the end of the loop's batch).
    func flushClientNow(thenClose: Bool = false) {
        guard let context else { return }
        let pending = outbound.take()
        let hadUnflushed = clientUnflushed
        if thenClose {
            clientUnflushed = false
            let last = pending ?? context.channel.allocator.buffer(capacity: 0)
            context.writeAndFlush(wrapOutboundOut(last)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        clientUnflushed = false
        // One pipeline pass (writeAndFlush) rather than two when there is something to write, and
        // none when nothing was written since the last flush.
        if let pending {
            context.writeAndFlush(wrapOutboundOut(pending), promise: nil)
        } else if hadUnflushed {
            context.flush()
        }
    }

    /// Sends a whole response whose body is in hand (a Lambda proxy answer, a cache hit): the length
    /// and connection headers are added to `headers`, then head and body go out and the exchange ends.
    func sendComplete(status code: Int, headers: inout HTTPHeaders, body: [UInt8], keepAlive: Bool, _ exchange: Exchange) {
        let status = HTTPResponseStatus(statusCode: code)
        let sendsBody = exchange.head.method != .HEAD && status.mayHaveResponseBody
        if status.mayHaveResponseBody { headers.add(name: "content-length", value: String(body.count)) }
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if exchange.head.version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: exchange.head.version, status: status, headers: headers)
        exchange.responseHeadSent = true
        exchange.responseStatus = code
        exchange.responseFraming = .raw
        outbound.append { buffer in
            ResponseHeaders.write(head, chunked: false, into: &buffer)
            if sendsBody { buffer.writeBytes(body) }
        }
        exchange.responseBytes = sendsBody ? body.count : 0
        finish(exchange)
    }

    // MARK: response

    func respond(_ response: GatewayResponse, _ exchange: Exchange) {
        guard context != nil, !exchange.responseHeadSent else { return }
        if let upstream = exchange.upstream {
            // The gateway answers instead of the backend; the connection's state is unknown.
            exchange.upstream = nil
            upstream.close()
        }
        var extra = exchange.deferredHeaders
        if case .preflight(let headers) = response { extra += headers }
        if let stage = exchange.stage, let cors = stage.cors, let origin = exchange.corsAllowOrigin, response.message != nil {
            extra += cors.responseHeaders(allowOrigin: origin)
        }
        // A request no served API stage took (an unknown API id or stage, a disabled endpoint) was
        // answered by no API, so it carries no `apigw-requestid`: that header says an API's stage
        // handled the request, which is how clients (and Portico's tests) see a new stage is live.
        let (head, body) = response.head(
            requestId: exchange.stage == nil ? nil : exchange.requestId, keepAlive: exchange.keepAlive && !closeAfterResponse,
            extraHeaders: extra)
        exchange.responseHeadSent = true
        exchange.responseStatus = Int(head.status.code)
        exchange.errorType = response.errorType
        if exchange.errorMessage == nil { exchange.errorMessage = response.message }
        exchange.responseFraming = .raw
        let sendsBody = exchange.head.method != .HEAD
        outbound.append { buffer in
            ResponseHeaders.write(head, chunked: false, into: &buffer)
            if let body, sendsBody { buffer.writeImmutableBuffer(body) }
        }
        if let body { exchange.responseBytes = body.readableBytes }
        finish(exchange)
    }

    /// Answers now, while the request body may still be arriving (it is then read and dropped).
    /// A client waiting for `100 Continue` will not send it, so that connection closes instead.
    func respondEarly(_ response: GatewayResponse, _ exchange: Exchange) {
        exchange.deferred = response
        if !exchange.requestEnded, exchange.expectsContinue {
            closeAfterResponse = true
        }
        respond(response, exchange)
    }

    func respondAndClose(_ response: GatewayResponse, _ exchange: Exchange) {
        closeAfterResponse = true
        exchange.requestEnded = true
        respond(response, exchange)
    }

    func finish(_ exchange: Exchange) {
        guard context != nil else { return }
        exchange.deadline = nil
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        if exchange.responseFraming == .chunked {
            outbound.append { $0.writeLastChunk() }
        }
        if !keepAlive { closeScheduled = true }
        flushClient(thenClose: !keepAlive)
        exchange.responseFinished = true
        record(exchange)
        if exchange.requestEnded {
            completeExchange(keepAlive: keepAlive)
        }
    }

    func completeExchange(keepAlive: Bool) {
        exchange = nil
        guard keepAlive else {
            inbound = noBytes
            // `finish` closes after the last write when it knew; otherwise (shutdown began after an
            // early response) close now, the response having gone out already.
            if !closeScheduled { closeClient() }
            return
        }
        parseInbound()
        if exchange == nil {
            idleSince = .now()
        }
        resumeReadingIfPossible()
    }

    /// The client went away mid-exchange.
    func abandon(_ exchange: Exchange) {
        exchange.rest?.call?.cancel()
        exchange.lambdaCall?.cancel()
        exchange.deadline = nil
        exchange.upstream?.close()
        exchange.upstream = nil
        self.exchange = nil
        inbound = noBytes
    }
}

extension GatewayHandler {
    /// ``BatchFlushable``: the loop's batch ended.
    func flushNow() {
        flushClientNow()
    }
}
