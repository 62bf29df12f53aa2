public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PorticoJWT
public import PorticoLambda
public import PorticoRuntime
import Synchronization

/// The data plane: an HTTP/1.1 server whose connections are served by ``GatewayHandler``s on
/// the event loops of `group`, each loop with its own runtime-table copy and upstream pools.
public final class DataPlaneServer: Sendable {
    private let configuration: DataPlaneConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let loops: [ObjectIdentifier: NIOLoopBoundBox<LoopState>]
    private let serverChannel = Mutex<(any Channel)?>(nil)
    private let connectionCount = Atomic<Int>(0)
    private let webSockets: WebSocketDirectory

    /// - Parameter lambda: runs the invocations of `AWS`/`AWS_PROXY` integrations.
    public init(
        configuration: DataPlaneConfiguration, group: any EventLoopGroup, logger: Logger,
        lambda: any LambdaInvoking = UnavailableLambdaInvoker()
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        var loops: [ObjectIdentifier: NIOLoopBoundBox<LoopState>] = [:]
        let webSockets = WebSocketDirectory(connectThrottle: configuration.webSocket.newConnectionLimit?.makeBucket())
        self.webSockets = webSockets
        let tlsContext = Self.makeTLSContext(configuration, logger: logger)
        let jwtKeys = JwtKeyStore(
            fetcher: JwksFetcher(group: group, tlsContext: tlsContext),
            settings: .init(
                ttlSeconds: configuration.jwksCacheTtlSeconds, minRefreshIntervalSeconds: configuration.jwksMinRefreshSeconds,
                jwksUrls: configuration.jwksUrls),
            logger: logger)
        // AWS: the account throttle is one token bucket "across all APIs within an AWS account, per Region".
        let accountThrottle = configuration.accountThrottle?.makeBucket()
        for loop in group.makeIterator() {
            let pool = UpstreamPool(
                eventLoop: loop, maxIdlePerKey: configuration.maxIdleUpstreamConnections,
                idleTimeout: .seconds(configuration.upstreamIdleTimeoutSeconds),
                connectTimeout: .milliseconds(configuration.upstreamConnectTimeoutMillis), tlsContext: tlsContext)
            // Made here, used only on `loop` from now on.
            loops[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeBoxSendingValue(
                LoopState(
                    table: .empty, pool: pool, lambda: lambda, jwtKeys: jwtKeys, accountThrottle: accountThrottle,
                    verifiedTokens: VerifiedTokenCache(capacity: configuration.jwtVerifiedTokens), webSockets: webSockets),
                eventLoop: loop)
        }
        self.loops = loops
    }

    /// The client TLS context for https backends: the system's trust roots plus any configured CA
    /// files, full certificate and hostname verification.
    static func makeTLSContext(_ configuration: DataPlaneConfiguration, logger: Logger) -> NIOSSLContext? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = configuration.upstreamCAFiles.map { .file($0) }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            logger.error("https backends will fail: the TLS configuration could not be loaded", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Binds and starts accepting; returns the bound address (port 0 picks an ephemeral port).
    public func start() async throws -> SocketAddress {
        let configuration = self.configuration
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                self.initialize(channel)
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        serverChannel.withLock { $0 = channel }
        guard let address = channel.localAddress else {
            throw ChannelError.unknownLocalAddress
        }
        return address
    }

    private func initialize(_ channel: any Channel) -> EventLoopFuture<Void> {
        guard let bound = loops[ObjectIdentifier(channel.eventLoop)] else {
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        let open = connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { [self] _ in
            _ = self.connectionCount.wrappingSubtract(1, ordering: .relaxed)
        }
        let state = bound.value
        if open > configuration.maxConnections || state.draining {
            return channel.close()
        }
        do {
            // The gateway reads requests (``ClientRequestParser``) and writes responses
            // (``OutboundBytes``) itself: one handler, no HTTP codec between it and the socket.
            try channel.pipeline.syncOperations.addHandler(
                GatewayHandler(state: state, configuration: configuration, logger: logger))
            return channel.eventLoop.makeSucceededVoidFuture()
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    /// Makes `table` live on every event loop. In-flight requests finish on the table they
    /// started with; the next request on each loop sees the new one.
    public func install(_ table: RuntimeTable) async {
        var futures: [EventLoopFuture<Void>] = []
        for loop in group.makeIterator() {
            guard let bound = loops[ObjectIdentifier(loop)] else { continue }
            futures.append(loop.submit { bound.value.table = table })
        }
        for future in futures { try? await future.get() }
    }

    /// Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes
    /// every connection.
    public func shutdown() async {
        let channel = serverChannel.withLock { channel in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        var futures: [EventLoopFuture<Void>] = []
        for loop in group.makeIterator() {
            guard let bound = loops[ObjectIdentifier(loop)] else { continue }
            futures.append(loop.submit {
                let state = bound.value
                state.draining = true
                for handler in state.connections.values { handler.quiesce() }
            })
        }
        for future in futures { try? await future.get() }
        for connection in webSockets.all {
            connection.eventLoop.execute { connection.value.close(code: .goingAway, reason: "Going away") }
        }
        let deadline = ContinuousClock.now + .seconds(configuration.drainTimeoutSeconds)
        while connectionCount.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for loop in group.makeIterator() {
            guard let bound = loops[ObjectIdentifier(loop)] else { continue }
            try? await loop.submit {
                let state = bound.value
                for handler in state.connections.values { handler.forceClose() }
                state.pool.closeAll()
            }.get()
        }
    }
}
