import PorticoModel

/// How the management API listens and how it presents itself.
public struct ManagementConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 4566
    /// The region ARNs and SigV4 scopes name.
    public var region: String = "us-east-1"
    /// The account id in ARNs and in AWS's "Invalid API identifier specified {account}:{apiId}".
    public var accountId: String = "000000000000"
    /// Whether `POST /_portico/reset` deletes everything (for test fixtures).
    public var enableReset: Bool = false
    /// The largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int = 16 << 20
    /// How `apiEndpoint` is shown: "{apiId}" is replaced, e.g. "http://{apiId}.execute-api.localhost:8080"
    public var apiEndpointFormat: String = "http://{apiId}.execute-api.localhost:8080"
    /// How long ``ManagementServer/shutdown()`` waits for in-flight requests before closing connections.
    public var shutdownGracePeriodSeconds: Double = 10

    /// `timeoutInMillis` given to a new integration that names none (AWS: 30 s).
    public var defaultIntegrationTimeoutMillis: Int = Integration.defaultTimeoutMillis
    /// The largest `timeoutInMillis` accepted. AWS caps HTTP APIs at 30 s; Portico keeps that by
    /// default and lets an operator raise it (`--max-integration-timeout-ms`).
    public var maxIntegrationTimeoutMillis: Int = Integration.defaultTimeoutMillis

    /// The largest `timeoutInMillis` a REST API integration accepts. AWS's default cap is 29 s;
    /// regional and private APIs may be raised beyond it, so an operator can.
    public var maxRestIntegrationTimeoutMillis: Int = RestIntegration.defaultTimeoutMillis

    /// Where Lambda functions' code is unpacked: `{functionCodeDirectory}/{name}/{sha256}/`.
    /// `portico serve` puts it in the data directory.
    public var functionCodeDirectory: String = "portico-data/functions"
    /// The largest zip CreateFunction and UpdateFunctionCode accept in the request (Lambda's quota
    /// for a direct upload: 50 MB). The request body may be the base64 of that, plus a little JSON.
    public var maxFunctionZipBytes: Int = 52_428_800
    /// The largest unpacked package (Lambda's quota: 250 MB).
    public var maxFunctionUnzippedBytes: Int = 262_144_000
    /// The account's concurrency (Lambda's default quota: 1,000); PutFunctionConcurrency keeps
    /// 100 of it unreserved, as Lambda does.
    public var accountConcurrencyLimit: Int = 1000

    public init() {}
}
