public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
public import PorticoAuth
public import PorticoLambda
public import PorticoStore
import Synchronization

/// The management API's HTTP/1.1 server: AWS's `apigatewayv2` operations plus Portico's
/// `/_portico/` endpoints, on SwiftNIO with one async task per connection.
///
/// ```swift
/// let server = ManagementServer(configuration: configuration, store: store, verifier: verifier,
///                               metricsText: { registry.prometheusText() }, logger: logger)
/// let address = try await server.start(group: MultiThreadedEventLoopGroup.singleton)
/// ...
/// await server.shutdown()
/// ```
public final class ManagementServer: Sendable {
    private let configuration: ManagementConfiguration
    private let responder: ManagementResponder
    private let registry = ConnectionRegistry()
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var serverChannel: (any Channel)?
        var listener: Task<Void, Never>?
    }

    /// - Parameter functionHost: runs the functions of the Lambda API (`aws lambda ...`): told
    ///   about every created, updated and deleted function, and asked to run Invoke.
    public init(
        configuration: ManagementConfiguration, store: any Store, verifier: SigV4Verifier,
        metricsText: @escaping @Sendable () -> String, logger: Logger,
        functionHost: any FunctionHosting = UnavailableFunctionHost(), liveUsage: (any LiveUsage)? = nil,
        stageCaches: (any StageCaches)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        var responder = ManagementResponder(
            configuration: configuration, store: store, verifier: verifier, metricsText: metricsText, logger: logger,
            functionHost: functionHost, liveUsage: liveUsage)
        responder.stageCaches = stageCaches
        self.responder = responder
    }

    /// Binds (port 0 = ephemeral) and starts serving; returns the bound address.
    public func start(group: any EventLoopGroup) async throws -> SocketAddress {
        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        guard let address = serverChannel.channel.localAddress else {
            try? await serverChannel.channel.close()
            throw ChannelError.unknownLocalAddress
        }
        let handler = ConnectionHandler(responder: responder, registry: registry, logger: logger)
        let logger = self.logger
        let listener = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await handler.run(connection) }
                        }
                    }
                } catch {
                    logger.debug("management listener ended", metadata: ["error": "\(String(describing: error))"])
                }
            }
        }
        state.withLock { state in
            state.serverChannel = serverChannel.channel
            state.listener = listener
        }
        return address
    }

    /// Stops accepting, lets in-flight requests finish (bounded wait), closes.
    public func shutdown() async {
        let (channel, listener) = state.withLock { state in
            defer {
                state.serverChannel = nil
                state.listener = nil
            }
            return (state.serverChannel, state.listener)
        }
        registry.beginShutdown()
        try? await channel?.close()
        let registry = self.registry
        let grace = configuration.shutdownGracePeriodSeconds
        let deadline = Task {
            try? await Task.sleep(for: .seconds(grace))
            if !Task.isCancelled { registry.closeAll() }
        }
        await listener?.value
        deadline.cancel()
    }
}
