import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// One request/response exchange on a client connection, from request head to the end of the
/// response. A connection has at most one at a time (pipelined requests wait their turn).
///
/// Made for every request: large state that only some routes use is kept `@OutOfLine`.
final class Exchange {
    /// A WebSocket handshake or `@connections` call, run once the request has ended.
    var webSocket: WebSocketExchange?
    /// A WebSocket handshake's connection, for its `CONNECT` access-log line.
    var webSocketHandshake: WebSocketHandshake?
    let id: Int
    let requestId: String
    let head: HTTPRequestHead
    let keepAlive: Bool
    let start: NIODeadline
    /// `start` on the throttle clock (``LoopState/throttleClock()``): buckets take the request's
    /// arrival as their time, which spares a clock read per bucket.
    var throttleArrival: Int64 { Int64(truncatingIfNeeded: start.uptimeNanoseconds) }
    let startWallMillis: Int64
    var stage: RuntimeStage?
    var route: RuntimeRoute?
    var stagePath: Substring = "/"
    /// The host the request named (without port), as a slice of its `Host` header: made a `String`
    /// only for the access log and mappings that use it.
    var domainName: Substring = ""
    @OutOfLine var mappingContext: MappingContext?
    /// Set for a request to a REST API, which `RestPipeline` answers once the body is in.
    var rest: RestExchange?

    /// A response the gateway gives itself (errors, preflight), sent once the request has been read.
    @OutOfLine var deferred: GatewayResponse?
    var deferredHeaders: [(String, String)] = []

    /// What is needed to build the upstream request when that must wait for the whole body
    /// (mappings that refer to `$request.body`).
    @OutOfLine var deferredProxy: (match: Router<RuntimeRoute>.Match, target: HTTPTarget, integration: RuntimeIntegration, query: Substring)?
    /// An HTTP API Lambda proxy request, invoked once the body is in (`GatewayHandler+Lambda`).
    @OutOfLine var deferredLambda: DeferredLambda?
    /// An HTTP API route with a Lambda authorizer, which runs once the body is in
    /// (`GatewayHandler+Authorizer`); the integration starts after it allows the request.
    @OutOfLine var deferredAuthorization: DeferredAuthorization?
    /// What the HTTP API route's Lambda authorizer allowed, for the proxy event.
    @OutOfLine var httpAuthorization: HttpAuthorization?
    /// `$context.authorizer.*` for the access log, once a Lambda authorizer step has started
    /// (`Exchange+AuthorizerLog`), and when it started.
    @OutOfLine var authorizerLog: AccessLogRecord.Authorizer?
    var authorizerStart: NIODeadline?
    /// The IAM user that signed a request to an `AWS_IAM` route.
    @OutOfLine var iamPrincipal: IamCredentialTable.Principal?
    /// The Lambda invocation in flight (HTTP or REST), cancelled if the client goes away.
    var lambdaCall: LambdaCall?
    /// The request body, buffered for mappings that refer to it.
    var bufferedRequestBody: [UInt8]?
    /// The response head and body, held back for response mappings that refer to `$response.body`.
    @OutOfLine var heldResponseHead: HTTPResponseHead?
    var heldResponseBody: [UInt8]?
    /// A cached route's miss: its answer is to be stored (GatewayHandler+Cache.swift).
    @OutOfLine var cacheFill: CacheFill?

    /// The upstream request head has been encoded (into the handler's scratch buffer) with this shape.
    var upstreamShape: ProxyRequest.Shape?
    var upstreamKey: UpstreamPool.Key?
    var upstream: UpstreamConnection?
    var pendingBody: [ByteBuffer] = []
    var pendingBodyBytes = 0
    /// The client sent `Expect: 100-continue` and waits before sending the body.
    var expectsContinue = false
    /// How the response body goes to the client: as received, re-chunked, or not at all (a `HEAD`
    /// request, or a final status that cannot carry a body, such as a 204 after mapping).
    var responseFraming = ClientBodyFraming.raw
    var upstreamHeadSent = false
    var requestBytes = 0
    var requestEnded = false
    var retried = false
    var receivedUpstreamPart = false

    var integrationStart: NIODeadline?
    var integrationLatencyNanos: Int64?
    var integrationStatus: Int?
    /// The Lambda invocation's request id (`$context.integration.requestId`).
    var integrationRequestId: String?
    var integrationError: String?
    /// When the integration times out; checked by the loop's tick.
    var deadline: NIODeadline?
    var corsAllowOrigin: String?

    var responseHeadSent = false
    var responseFinished = false
    var responseStatus = 0
    var responseBytes = 0
    var responseLimitExceeded = false
    var errorType: String?
    var errorMessage: String?

    init(id: Int, requestId: String, head: HTTPRequestHead, start: NIODeadline, startWallMillis: Int64) {
        self.id = id
        self.requestId = requestId
        self.head = head
        self.keepAlive = head.isKeepAlive
        self.start = start
        self.startWallMillis = startWallMillis
    }
}

/// How a response body is framed on its way to the client.
enum ClientBodyFraming {
    /// No body is sent (whatever the backend sends is dropped).
    case none
    /// Sent as received: its length is in the head, or the connection's close ends it.
    case raw
    /// Sent in chunks the gateway frames (the backend's length was not known up front).
    case chunked
}
