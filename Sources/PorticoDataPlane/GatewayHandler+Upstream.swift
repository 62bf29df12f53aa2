import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// The integration call: the pooled upstream connection, the backend's response on its way back,
/// failures and timeouts.
extension GatewayHandler {
    // MARK: integration

    func startIntegration(_ exchange: Exchange, timeoutMillis: Int) {
        guard let key = exchange.upstreamKey else { return }
        let start = NIODeadline.now()
        exchange.integrationStart = start
        exchange.deadline = start + .milliseconds(Int64(timeoutMillis))
        registerForDeadlines()
        if let connection = state.pool.takeIdle(key) {
            attach(connection, to: exchange)
        } else {
            connectUpstream(key, exchange)
        }
    }

    func connectUpstream(_ key: UpstreamPool.Key, _ exchange: Exchange) {
        let pool = state.pool
        let id = exchange.id
        // Strong capture: the connect always completes (it has a timeout), and a weak reference would
        // give the handler a side table for the rest of its life, making every retain and release of it
        // take the slow path (seen in profiles).
        state.pool.connect(key) { result in
            guard let exchange = self.exchange, exchange.id == id, !exchange.responseHeadSent, exchange.deferred == nil else {
                // The exchange ended (answered, timed out, abandoned) while connecting: the new
                // connection never carried anything, so the pool may keep it.
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            switch result {
            case .success(let connection):
                self.attach(connection, to: exchange)
            case .failure(let error):
                self.integrationFailed(exchange, error)
            }
        }
    }

    func attach(_ connection: UpstreamConnection, to exchange: Exchange) {
        guard let shape = exchange.upstreamShape else { return }
        exchange.upstream = connection
        connection.delegate = self
        connection.setAutoRead(clientWritable)
        connection.beginRequest(head: upstreamHead, isHead: shape.isHead, chunked: shape.chunked)
        exchange.upstreamHeadSent = true
        for buffer in exchange.pendingBody {
            connection.writeBody(buffer)
        }
        exchange.pendingBody.removeAll()
        exchange.pendingBodyBytes = 0
        if exchange.requestEnded {
            connection.writeEnd()
        } else {
            connection.flush()
        }
    }

    func upstreamReceived(_ event: BackendResponseParser.Event, from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection else {
            // A connection this handler has let go of: whatever it says belongs to no request.
            connection.close()
            return
        }
        exchange.receivedUpstreamPart = true
        switch event {
        case .head(let head):
            exchange.deadline = nil
            if let start = exchange.integrationStart {
                exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
            }
            exchange.integrationStatus = head.status
            if case .length(let length) = head.framing, length > configuration.maxPayloadBytes {
                // AWS's payload quota applies to responses too.
                exchange.upstream?.close()
                exchange.upstream = nil
                exchange.errorMessage = "the integration response exceeds the payload limit"
                respond(.internalServerError, exchange)
                return
            }
            guard let mappingContext = exchange.mappingContext, let mapping = exchange.route?.integration?.responseMappings[head.status] else {
                if exchange.cacheFill != nil {
                    // A cached route's miss: the whole response is kept to be stored.
                    exchange.heldResponseHead = head.nioHead
                    exchange.heldResponseBody = []
                    return
                }
                sendResponseHead(head, exchange)
                return
            }
            if mapping.needsResponseBody || exchange.cacheFill != nil {
                // The mapping reads the body (or the response is to be cached): hold the response back
                // until it is complete.
                exchange.heldResponseHead = head.nioHead
                exchange.heldResponseBody = []
                return
            }
            sendMappedResponseHead(head.nioHead, exchange, mapping: mapping, context: mappingContext, responseJSON: nil)
        case .body(let buffer):
            if exchange.heldResponseBody != nil {
                exchange.responseBytes += buffer.readableBytes
                if exchange.responseBytes > configuration.maxPayloadBytes {
                    exchange.upstream?.close()
                    exchange.upstream = nil
                    exchange.heldResponseHead = nil
                    exchange.heldResponseBody = nil
                    exchange.errorMessage = "the integration response exceeds the payload limit"
                    respond(.internalServerError, exchange)
                    return
                }
                exchange.heldResponseBody!.append(contentsOf: buffer.readableBytesView)
                return
            }
            guard exchange.responseHeadSent else { return }
            exchange.responseBytes += buffer.readableBytes
            if exchange.responseBytes > configuration.maxPayloadBytes {
                exchange.responseLimitExceeded = true
                exchange.upstream?.close()
                closeClient()
                return
            }
            writeClientBody(buffer, exchange)
        case .end:
            if var head = exchange.heldResponseHead, let body = exchange.heldResponseBody,
                let mapping = exchange.route?.integration?.responseMappings[Int(head.status.code)],
                let mappingContext = exchange.mappingContext
            {
                exchange.heldResponseHead = nil
                exchange.heldResponseBody = nil
                head.headers.remove(name: "transfer-encoding")
                head.headers.replaceOrAdd(name: "content-length", value: String(body.count))
                let sent = sendMappedResponseHead(head, exchange, mapping: mapping, context: mappingContext, responseJSON: JSONValue.parse(body))
                if !body.isEmpty, exchange.responseFraming != .none {
                    outbound.append { $0.writeBytes(body) }
                }
                if let fill = exchange.cacheFill { storeInCache(fill, status: Int(sent.status.code), headers: sent.headers, body: body) }
            } else if exchange.cacheFill != nil, let head = exchange.heldResponseHead, let body = exchange.heldResponseBody {
                exchange.heldResponseHead = nil
                exchange.heldResponseBody = nil
                sendHeldResponseAndStore(head, body: body, exchange)
            }
            guard exchange.responseHeadSent else { return }
            if let upstream = exchange.upstream {
                exchange.upstream = nil
                if upstream.responseKeepAlive && exchange.requestEnded {
                    state.pool.release(upstream)
                } else {
                    upstream.close()
                }
            }
            finish(exchange)
        }
    }

    /// How the response body goes to the client. Without a stated length an HTTP/1.1 client gets
    /// it chunked, and an HTTP/1.0 client (which cannot take chunks) gets it ended by the close.
    func clientFraming(status: Int, lengthKnown: Bool, _ exchange: Exchange) -> ClientBodyFraming {
        if exchange.head.method == .HEAD || (100..<200).contains(status) || status == 204 || status == 304 { return .none }
        if lengthKnown { return .raw }
        if exchange.head.version.major == 1, exchange.head.version.minor == 0 {
            closeAfterResponse = true
            return .raw
        }
        return .chunked
    }

    /// The backend's head, forwarded as bytes (every response without a response mapping).
    func sendResponseHead(_ head: BackendResponseHead, _ exchange: Exchange) {
        let lengthKnown: Bool
        if case .length = head.framing { lengthKnown = true } else { lengthKnown = false }
        let framing = clientFraming(status: head.status, lengthKnown: lengthKnown, exchange)
        exchange.responseFraming = framing
        exchange.responseStatus = head.status
        exchange.responseHeadSent = true
        let keepAlive = exchange.keepAlive && !closeAfterResponse
        outbound.append { buffer in
            ResponseHeaders.write(from: head, exchange: exchange, framing: framing, keepAlive: keepAlive, into: &buffer)
        }
    }

    /// The backend's head with the route's response mapping applied; returns the head sent.
    @discardableResult
    func sendMappedResponseHead(
        _ head: HTTPResponseHead, _ exchange: Exchange, mapping: ParameterMapping, context mappingContext: MappingContext,
        responseJSON: JSONValue?
    ) -> HTTPResponseHead {
        var framing = clientFraming(status: Int(head.status.code), lengthKnown: head.headers.contains(name: "content-length"), exchange)
        var response = ResponseHeaders.make(from: head, exchange: exchange, keepAlive: exchange.keepAlive && !closeAfterResponse)
        var mappingContext = mappingContext
        mappingContext.response = head
        mappingContext.responseJSON = responseJSON
        ResponseHeaders.apply(mapping, to: &response, context: mappingContext)
        if !response.status.mayHaveResponseBody {
            // A status mapped to 204/304 must not carry the backend's body.
            framing = .none
            response.headers.remove(name: "content-length")
            response.headers.remove(name: "transfer-encoding")
        }
        if exchange.cacheFill?.warn == true { response.headers.add(name: "Warning", value: Self.ignoredCacheControlWarning) }
        exchange.responseFraming = framing
        exchange.responseStatus = Int(response.status.code)
        exchange.responseHeadSent = true
        outbound.append { ResponseHeaders.write(response, chunked: framing == .chunked, into: &$0) }
        return response
    }

    func upstreamReadComplete(from connection: UpstreamConnection) {
        guard exchange?.upstream === connection else { return }
        flushClient()
    }

    func upstreamWritabilityChanged(from connection: UpstreamConnection) {
        guard exchange?.upstream === connection else { return }
        resumeReadingIfPossible()
    }

    func upstreamFailed(_ error: any Error, from failed: UpstreamConnection) {
        guard let exchange, exchange.upstream === failed else { return }
        let connection = exchange.upstream
        exchange.upstream = nil
        if exchange.responseHeadSent {
            // Too late for an error response: end the client connection so it sees the truncation.
            closeClient()
            return
        }
        if let connection, connection.isReused, !exchange.retried, !exchange.receivedUpstreamPart,
            exchange.requestBytes == 0, let key = exchange.upstreamKey
        {
            // A pooled connection the backend had already closed: retry once on a fresh one.
            exchange.retried = true
            exchange.upstreamHeadSent = false
            connectUpstream(key, exchange)
            return
        }
        integrationFailed(exchange, error)
    }

    func integrationFailed(_ exchange: Exchange, _ error: any Error) {
        exchange.deadline = nil
        exchange.upstream?.close()
        exchange.upstream = nil
        exchange.integrationError = "\(error)"
        exchange.errorMessage = "\(error)"
        if let start = exchange.integrationStart {
            exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
        }
        logger.debug("integration failed", metadata: ["gw.request.id": "\(exchange.requestId)", "error": "\(error)"])
        respondEarly(.internalServerError, exchange)
    }

    /// Puts the connection where the loop's tick checks deadlines. Registered once and left
    /// registered while requests keep coming: the tick drops it when it finds no deadline (a
    /// dictionary insert per request showed in profiles).
    func registerForDeadlines() {
        guard !inFlightRegistered else { return }
        inFlightRegistered = true
        state.inFlight[ObjectIdentifier(self)] = self
    }

    func integrationTimedOut(_ exchange: Exchange) {
        if let call = exchange.rest?.call {
            // A REST backend call: its pipeline answers the timeout (504, INTEGRATION_TIMEOUT).
            call.timedOut()
            return
        }
        exchange.upstream?.close()
        exchange.upstream = nil
        exchange.integrationError = "timeout"
        exchange.errorMessage = "Integration timed out"
        if let start = exchange.integrationStart {
            exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds
        }
        if exchange.responseHeadSent {
            closeClient()
            return
        }
        respondEarly(.integrationTimeout, exchange)
    }
}
