public import Logging
public import PorticoDataPlane
public import PorticoLambda
public import PorticoManagement

/// Everything `portico serve` is told: where data lives, where to listen, who may manage it.
public struct PorticoConfiguration: Sendable {
    public var dataDirectory: String = "portico-data"
    public var dataPlane = DataPlaneConfiguration()
    public var management = ManagementConfiguration()
    public var logLevel: Logger.Level = .info
    /// Access key id → secret access key accepted by the management API. Empty means
    /// development mode, which is allowed on loopback only.
    public var credentials: [String: String] = [:]
    /// Create the example API when the store is empty.
    public var seedExample = true
    /// Used when an integration has no `timeoutInMillis`.
    public var defaultIntegrationTimeoutMillis = 30_000
    /// Where Lambda integrations invoke functions the local host does not run: a Lambda Invoke
    /// API endpoint (`--lambda-endpoint`); nil answers such invocations 404 ResourceNotFound.
    public var lambdaEndpoint: String?
    /// The region signed into Invoke requests (`--lambda-region`).
    public var lambdaRegion = "us-east-1"
    /// Credentials for signing Invoke requests; nil sends them unsigned.
    public var lambdaCredentials: AWSCredentials?
    /// Portico's config file (`--config`), whose `functions:` are declared to the function host.
    public var configFile: String?
    /// How local function processes run. Its region and account are taken from `management`.
    public var functionHost = FunctionHostConfiguration()
    /// The most bytes one stage's response cache holds (`--response-cache-max-bytes`), below its cache cluster size
    /// (0.5 GB and up, as AWS sizes them). See docs/CACHING.md.
    public var responseCacheMaxBytes = 64 << 20

    public init() {}
}
