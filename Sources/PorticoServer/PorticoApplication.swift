import Foundation
public import Logging
import NIOCore
import NIOPosix
import PorticoAuth
import PorticoDataPlane
public import PorticoLambda
import PorticoManagement
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoStore
import UnixSignals

/// One Portico process: the store, the data plane, the management API and the reloader that
/// joins them, started in order and stopped gracefully on SIGINT or SIGTERM.
public struct PorticoApplication: Sendable {
    public let configuration: PorticoConfiguration
    public let logger: Logger
    /// The local function host (the Lambda Runtime API side of Portico): the management API's
    /// Lambda operations and the data plane's Lambda integrations are given it, as
    /// `any FunctionHosting` / `any LambdaInvoking`. Function ARNs use the management API's
    /// region and account.
    public let functionHost: FunctionHost
    /// The data plane's event loops. The function host runs on one of them, so that an
    /// invocation from a connection on that loop (every one with `--event-loops 1`) reaches the
    /// host, and its answer the connection, without waking another thread.
    private let dataGroup: MultiThreadedEventLoopGroup
    /// Temporary credentials of local function processes (issued by the function host, checked by
    /// the data plane); in memory only.
    private let sessions: TemporaryCredentialRegistry

    public init(configuration: PorticoConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        var hostConfiguration = configuration.functionHost
        hostConfiguration.region = configuration.management.region
        hostConfiguration.accountId = configuration.management.accountId
        let sessions = TemporaryCredentialRegistry()
        self.sessions = sessions
        hostConfiguration.sessionCredentials = sessions
        let dataGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.dataPlane.eventLoopCount))
        self.dataGroup = dataGroup
        self.functionHost = FunctionHost(configuration: hostConfiguration, group: dataGroup, logger: logger)
    }

    /// Runs until SIGINT or SIGTERM. Function processes are stopped on the way out, however it ends.
    public func run() async throws {
        do {
            try await serve()
        } catch {
            await functionHost.shutdown()
            try? await dataGroup.shutdownGracefully()
            throw error
        }
        await functionHost.shutdown()
        try? await dataGroup.shutdownGracefully()
    }

    private func serve() async throws {
        let configuration = self.configuration
        // The config file is read before anything listens, so a mistake in it stops start-up.
        let declaredFunctions = try loadDeclaredFunctions()
        let verifier = try managementVerifier()
        let store = try openStore()
        let metrics = MetricsRegistry()
        let accessLogs = AccessLogWriters(logDirectory: configuration.dataDirectory + "/logs")

        let managementGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let lambda = try lambdaInvoker()
        var dataPlaneConfiguration = configuration.dataPlane
        // `@connections` accepts the management API's credentials (and, with none, development mode).
        dataPlaneConfiguration.managementCredentials = configuration.credentials
        let dataPlane = DataPlaneServer(configuration: dataPlaneConfiguration, group: dataGroup, logger: logger, lambda: lambda)
        let dataAddress: SocketAddress
        do {
            dataAddress = try await dataPlane.start()
        } catch {
            try? await managementGroup.shutdownGracefully()
            throw StartupError("cannot listen on \(configuration.dataPlane.host):\(configuration.dataPlane.port) for the data plane: \(Self.describe(error))")
        }

        var managementConfiguration = configuration.management
        if managementConfiguration.apiEndpointFormat == ManagementConfiguration().apiEndpointFormat {
            managementConfiguration.apiEndpointFormat = "http://{apiId}.execute-api.localhost:\(dataAddress.port ?? configuration.dataPlane.port)"
        }
        managementConfiguration.functionCodeDirectory = configuration.dataDirectory + "/functions"
        let functionHost = self.functionHost
        // Before the listener opens, so that the host knows every stored function by the first Invoke.
        do {
            try await FunctionHostFeed.upsertAll(from: store, into: functionHost, configuration: managementConfiguration)
        } catch {
            await dataPlane.shutdown()
            try? await managementGroup.shutdownGracefully()
            throw StartupError("cannot read the stored Lambda functions: \(error)")
        }
        let usageCounters = UsageCounters()
        let responseCaches = ResponseCaches(maxBytesPerStage: configuration.responseCacheMaxBytes)
        let usageFlusher = UsageFlusher(counters: usageCounters, store: store, logger: logger)
        let management = ManagementServer(
            configuration: managementConfiguration, store: store, verifier: verifier,
            metricsText: { metrics.prometheusText() }, logger: logger, functionHost: functionHost, liveUsage: usageFlusher,
            stageCaches: RuntimeStageCaches(caches: responseCaches))
        let managementAddress: SocketAddress
        do {
            managementAddress = try await management.start(group: managementGroup)
        } catch {
            await dataPlane.shutdown()
            try? await managementGroup.shutdownGracefully()
            throw StartupError("cannot listen on \(configuration.management.host):\(configuration.management.port) for the management API: \(Self.describe(error))")
        }
        let managementURL = "http://\(Self.hostText(managementAddress)):\(managementAddress.port ?? 0)"

        // Stage buckets outlive recompilation (one registry: HTTP and REST API ids share a namespace).
        let throttleBuckets = ThrottleBuckets()
        var compiler = DeploymentCompiler(
            configuration: .init(
                defaultTimeoutMillis: configuration.defaultIntegrationTimeoutMillis,
                accountThrottle: configuration.dataPlane.accountThrottle ?? .awsAccountDefault),
            metrics: metrics, accessLogs: accessLogs, throttleBuckets: throttleBuckets)
        compiler.responseCaches = responseCaches
        var restCompiler = RestDeploymentCompiler(
            metrics: metrics, accessLogs: accessLogs, cognitoEndpoint: configuration.dataPlane.cognitoEndpoint)
        restCompiler.region = configuration.management.region
        restCompiler.accountId = configuration.management.accountId
        restCompiler.accountThrottle = configuration.dataPlane.accountThrottle ?? .awsAccountDefault
        restCompiler.throttleBuckets = throttleBuckets
        restCompiler.responseCaches = responseCaches
        let reloader = RuntimeReloader(
            store: store, compiler: compiler, restCompiler: restCompiler,
            dataPlane: dataPlane, metrics: metrics, logger: logger, usageCounters: usageCounters,
            accountId: configuration.management.accountId, sessions: sessions)
        // Subscribe before the first load so no change between the two is missed.
        let changes = store.changes()
        if configuration.seedExample, try await ExampleApi.seedIfEmpty(store: store, managementURL: managementURL) {
            logger.info("created the example API: curl http://\(Self.hostText(dataAddress)):\(dataAddress.port ?? 0)/_aws/execute-api/\(ExampleApi.apiId)/health")
        }
        try await reloader.loadAll()
        for function in declaredFunctions {
            functionHost.upsert(function)
            logger.info(
                "declared function \(function.name)",
                metadata: ["arn": "\(function.arn)", "directory": "\(function.codeDirectory)"])
        }

        if configuration.credentials.isEmpty {
            logger.warning(
                "DEVELOPMENT MODE: no management credentials are configured, so the management API accepts any well-formed SigV4 signature. It is bound to loopback only. Configure --access-key-id/--secret-access-key or --credentials-file before exposing it."
            )
        }
        Self.announce("data plane listening on http://\(Self.hostText(dataAddress)):\(dataAddress.port ?? 0)")
        Self.announce("management API listening on \(managementURL)")

        let reloading = Task {
            for await change in changes {
                if change.everything { usageCounters.removeAll() }
                await reloader.apply(change)
            }
        }
        // The quota counts' write-behind (no SQLite write on the request path).
        let flushing = Task { await usageFlusher.run() }
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        for await signal in signals {
            logger.info("received \(signal): draining in-flight requests and stopping")
            break
        }
        await management.shutdown()
        await dataPlane.shutdown()
        // Every request the drained data plane admitted is now counted: write the last counts.
        flushing.cancel()
        await flushing.value
        await usageFlusher.flush()
        // After the data plane has drained, so invocations it was waiting for could finish.
        await functionHost.shutdown()
        reloading.cancel()
        accessLogs.closeAll()
        try? await managementGroup.shutdownGracefully()
        logger.info("stopped")
    }

    /// Management-API authentication: verify against configured credentials, or, with none,
    /// development mode — allowed only when the management listener is bound to loopback.
    func managementVerifier() throws -> SigV4Verifier {
        if !configuration.credentials.isEmpty {
            return SigV4Verifier(mode: .verify(credentials: configuration.credentials))
        }
        guard Self.isLoopback(configuration.management.host) else {
            throw StartupError(
                "refusing to start: the management API would listen on \(configuration.management.host), which is not loopback, and no credentials are configured. Give --access-key-id and --secret-access-key (or --credentials-file), or bind it to 127.0.0.1."
            )
        }
        return SigV4Verifier(mode: .acceptAnyWellFormed)
    }

    /// The invoker of Lambda integrations: the local function host for the functions it runs, else
    /// the remote Invoke endpoint when one is configured, else 404 ResourceNotFound.
    func lambdaInvoker() throws -> any LambdaInvoking {
        var remote: RemoteLambdaInvoker?
        if let endpoint = configuration.lambdaEndpoint {
            do {
                remote = try RemoteLambdaInvoker(
                    configuration: .init(
                        endpoint: endpoint, region: configuration.lambdaRegion, credentials: configuration.lambdaCredentials,
                        trustRootFiles: configuration.dataPlane.upstreamCAFiles))
            } catch {
                throw StartupError("cannot use the Lambda endpoint: \(error)")
            }
            let signing = configuration.lambdaCredentials.map { "signed with access key id \($0.accessKeyId)" } ?? "unsigned (no AWS credentials found)"
            logger.info("Lambda integrations invoke functions at \(endpoint), region \(configuration.lambdaRegion), \(signing)")
        }
        return CompositeLambdaInvoker(local: functionHost, remote: remote)
    }

    /// The `functions:` of the config file, checked; none without `--config`.
    func loadDeclaredFunctions() throws -> [FunctionConfiguration] {
        guard let path = configuration.configFile else { return [] }
        do {
            return try DeclaredFunctions.load(
                path: path, region: configuration.management.region, accountId: configuration.management.accountId)
        } catch {
            throw StartupError("\(error.description)")
        }
    }

    func openStore() throws -> SQLiteStore {
        do {
            return try SQLiteStore(directory: configuration.dataDirectory)
        } catch {
            throw StartupError("cannot open the data directory \(configuration.dataDirectory): \(error)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func hostText(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return "127.0.0.1" }
        if case .v6 = address { return "[\(ip)]" }
        return ip
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE { return "the address is already in use" }
        return "\(error)"
    }

    /// Start-up lines go to standard output unbuffered, so that scripts waiting for them see
    /// them at once even when stdout is a pipe.
    static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
