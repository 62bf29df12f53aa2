import NIOCore
import NIOHTTP1

/// One backend call of a REST integration (`HTTP` or `HTTP_PROXY`): the request goes out whole on
/// a pooled keep-alive connection of this event loop, and the response comes back whole, because
/// integration responses and templates need all of it (AWS buffers REST payloads too, within the
/// 10 MB quota).
///
/// For REST requests the deadline is the exchange's, checked by the loop's tick like an HTTP API
/// integration's (`GatewayHandler.integrationTimedOut` calls ``timedOut()``): a scheduled task per
/// call cost four allocations per request (the task, its promise and future). Callers without an
/// exchange (WebSocket integrations) pass a timeout and get a scheduled task.
final class RestUpstreamCall: UpstreamDelegate {
    enum Failure: Error {
        case timedOut
        case failed(String)
        case tooLarge
    }

    /// A backend's answer. The head stays as the bytes received (``BackendResponseHead``) until
    /// something asks for it as `String`s (``head``, or ``materialized()`` once for a mapping):
    /// an `HTTP_PROXY` response is forwarded from the bytes, with no `String` made per header.
    struct Response {
        private enum Head {
            case raw(BackendResponseHead)
            case built(HTTPResponseHead)
        }

        private var storage: Head
        var body: [UInt8]

        init(head: HTTPResponseHead, body: [UInt8]) {
            self.storage = .built(head)
            self.body = body
        }

        init(raw: BackendResponseHead, body: [UInt8]) {
            self.storage = .raw(raw)
            self.body = body
        }

        /// The head as received, when it came from a backend and was not converted.
        var raw: BackendResponseHead? {
            if case .raw(let raw) = storage { return raw }
            return nil
        }

        var status: Int {
            switch storage {
            case .raw(let raw): raw.status
            case .built(let head): Int(head.status.code)
            }
        }

        /// The head as `String`s; built afresh on every use from a raw head (see ``materialized()``).
        var head: HTTPResponseHead {
            switch storage {
            case .raw(let raw): raw.nioHead
            case .built(let head): head
            }
        }

        /// The same response with its head converted once, for code that reads it repeatedly.
        func materialized() -> Response {
            Response(head: head, body: body)
        }
    }

    private let pool: UpstreamPool
    private let key: UpstreamPool.Key
    private let requestHead: ByteBuffer
    private let requestBody: ByteBuffer?
    private let isHead: Bool
    private let maxBytes: Int
    private var completion: ((Result<Response, Failure>) -> Void)?
    private var timer: Scheduled<Void>?
    private var connection: UpstreamConnection?
    private var head: BackendResponseHead?
    private var body: [UInt8] = []
    private var receivedAnything = false
    private var retried = false
    private(set) var status: Int?
    /// The REST exchange whose integration this is: its deadline is cleared and its integration
    /// latency and status recorded when the call ends (here rather than in a wrapping closure, one
    /// allocation less per request). Let go of when the call ends or is cancelled: the exchange holds
    /// this call (through its `RestExchange`), so keeping it would be a cycle.
    private var exchange: Exchange?

    init(
        pool: UpstreamPool, key: UpstreamPool.Key, head: ByteBuffer, body: ByteBuffer?, isHead: Bool, maxBytes: Int, exchange: Exchange? = nil
    ) {
        self.pool = pool
        self.key = key
        self.requestHead = head
        self.requestBody = body
        self.isHead = isHead
        self.maxBytes = maxBytes
        self.exchange = exchange
    }

    /// Starts the call; `completion` runs once, on the pool's loop.
    func start(timeoutMillis: Int? = nil, _ completion: @escaping (Result<Response, Failure>) -> Void) {
        self.completion = completion
        if let timeoutMillis {
            timer = pool.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(timeoutMillis))) { [self] in
                self.finish(.failure(.timedOut))
            }
        }
        if let idle = pool.takeIdle(key) {
            attach(idle)
        } else {
            connect()
        }
    }

    /// The client went away: drop the backend connection and never call back.
    func cancel() {
        completion = nil
        exchange = nil
        timer?.cancel()
        connection?.close()
        connection = nil
    }

    private func connect() {
        pool.connect(key) { [self] result in
            switch result {
            case .success(let connection):
                guard self.completion != nil else {
                    self.pool.release(connection)
                    return
                }
                self.attach(connection)
            case .failure(let error):
                self.finish(.failure(.failed("\(error)")))
            }
        }
    }

    private func attach(_ connection: UpstreamConnection) {
        self.connection = connection
        connection.delegate = self
        connection.setAutoRead(true)
        connection.beginRequest(head: requestHead, isHead: isHead, chunked: false)
        if let requestBody, requestBody.readableBytes > 0 { connection.writeBody(requestBody) }
        connection.writeEnd()
    }

    /// The integration's timeout passed (the exchange's deadline, seen by the loop's tick).
    func timedOut() {
        finish(.failure(.timedOut))
    }

    private func finish(_ result: Result<Response, Failure>) {
        timer?.cancel()
        timer = nil
        if case .failure = result {
            connection?.close()
            connection = nil
        }
        guard let completion else { return }
        self.completion = nil
        if let exchange {
            self.exchange = nil
            exchange.deadline = nil
            if let start = exchange.integrationStart { exchange.integrationLatencyNanos = (NIODeadline.now() - start).nanoseconds }
            exchange.integrationStatus = status
        }
        completion(result)
    }

    // MARK: UpstreamDelegate

    func upstreamReceived(_ event: BackendResponseParser.Event, from connection: UpstreamConnection) {
        guard connection === self.connection else {
            connection.close()
            return
        }
        receivedAnything = true
        switch event {
        case .head(let head):
            status = head.status
            if case .length(let length) = head.framing, length > maxBytes {
                finish(.failure(.tooLarge))
                return
            }
            self.head = head
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
            if body.count > maxBytes { finish(.failure(.tooLarge)) }
        case .end:
            guard let head else { return }
            self.connection = nil
            if connection.responseKeepAlive {
                pool.release(connection)
            } else {
                connection.close()
            }
            finish(.success(Response(raw: head, body: body)))
        }
    }

    func upstreamReadComplete(from connection: UpstreamConnection) {}

    func upstreamWritabilityChanged(from connection: UpstreamConnection) {}

    func upstreamFailed(_ error: any Error, from failed: UpstreamConnection) {
        guard failed === connection else { return }
        connection = nil
        if failed.isReused, !retried, !receivedAnything {
            // A pooled connection the backend had already closed: retry once on a fresh one.
            retried = true
            connect()
            return
        }
        finish(.failure(.failed("\(error)")))
    }
}
