import ArgumentParser
import Foundation
import Logging
import PorticoAuth
import PorticoLambda
import PorticoRuntime
import PorticoServer

/// `portico serve`: every option also has an environment variable (named in its help), and a
/// flag given on the command line wins over the environment.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the data plane and the management API.",
        discussion: """
            Every option can also be set through the environment variable named in its help.
            Prefer PORTICO_SECRET_ACCESS_KEY or --credentials-file over --secret-access-key:
            command lines are visible to other users of the machine.
            """
    )

    @Option(name: .customLong("data-dir"), help: "Where the SQLite store and logs live. [PORTICO_DATA_DIR, default: portico-data]")
    var dataDir: String?

    @Option(help: "Data plane address HOST:PORT; port 0 picks a free port. [PORTICO_LISTEN, default: 127.0.0.1:8080]")
    var listen: String?

    @Option(name: .customLong("management-listen"), help: "Management API address HOST:PORT. [PORTICO_MANAGEMENT_LISTEN, default: 127.0.0.1:4566]")
    var managementListen: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. [PORTICO_LOG_LEVEL, default: info]")
    var logLevel: String?

    @Option(name: .customLong("access-key-id"), help: "Access key id the management API accepts. [PORTICO_ACCESS_KEY_ID]")
    var accessKeyId: String?

    @Option(name: .customLong("secret-access-key"), help: "Its secret access key. [PORTICO_SECRET_ACCESS_KEY]")
    var secretAccessKey: String?

    @Option(name: .customLong("credentials-file"), help: "AWS shared-credentials file of accepted keys. [PORTICO_CREDENTIALS_FILE]")
    var credentialsFile: String?

    @Flag(name: .customLong("enable-reset"), help: "Allow POST /_portico/reset to wipe every API (for test fixtures). [PORTICO_ENABLE_RESET=1]")
    var enableReset = false

    @Flag(name: .customLong("no-example"), help: "Do not create the example API in an empty store. [PORTICO_NO_EXAMPLE=1]")
    var noExample = false

    @Option(name: .customLong("event-loops"), help: "Data plane event loops. [PORTICO_EVENT_LOOPS, default: number of cores]")
    var eventLoops: Int?

    @Option(name: .customLong("integration-timeout-ms"), help: "timeoutInMillis of new integrations that give none. [PORTICO_INTEGRATION_TIMEOUT_MS, default: 30000]")
    var integrationTimeoutMillis: Int?

    @Option(name: .customLong("max-integration-timeout-ms"), help: "Largest timeoutInMillis accepted; AWS caps it at 30000. [PORTICO_MAX_INTEGRATION_TIMEOUT_MS, default: 30000]")
    var maxIntegrationTimeoutMillis: Int?

    @Option(name: .customLong("max-payload-bytes"), help: "Largest request or response body. [PORTICO_MAX_PAYLOAD_BYTES, default: 10485760]")
    var maxPayloadBytes: Int?

    @Option(name: .customLong("max-header-bytes"), help: "Largest request header section. [PORTICO_MAX_HEADER_BYTES, default: 10240]")
    var maxHeaderBytes: Int?

    @Option(name: .customLong("max-connections"), help: "Most open data plane connections. [PORTICO_MAX_CONNECTIONS, default: 10000]")
    var maxConnections: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle client connection stays open. [PORTICO_IDLE_TIMEOUT, default: 60]")
    var idleTimeout: Int?

    @Option(name: .customLong("upstream-ca-file"), help: "PEM file of extra certificate authorities trusted for https backends. [PORTICO_UPSTREAM_CA_FILE]")
    var upstreamCAFile: String?

    @Option(name: .customLong("jwks-min-refresh-seconds"), help: "At most one JWKS refresh per issuer this often for tokens with an unknown kid. [PORTICO_JWKS_MIN_REFRESH_SECONDS, default: 10]")
    var jwksMinRefreshSeconds: Int?

    @Option(name: .customLong("jwks-url"), help: "ISSUER=URL: fetch this issuer's JWKS from URL instead of its OpenID discovery document; repeatable. [PORTICO_JWKS_URLS, space-separated]")
    var jwksUrls: [String] = []

    @Option(name: .customLong("cognito-endpoint"), help: "Base URL of a local Cognito (cognito-local, moto): user pool issuers become URL/{poolId}. [PORTICO_COGNITO_ENDPOINT]")
    var cognitoEndpoint: String?

    @Option(name: .customLong("jwt-verified-tokens"), help: "JWT signatures each event loop remembers as verified (claims are checked on every request); 0 turns this off. [PORTICO_JWT_VERIFIED_TOKENS, default: 4096]")
    var jwtVerifiedTokens: Int?
    @OptionGroup var webSocketOptions: WebSocketOptions

    @Option(name: .customLong("jwks-cache-ttl"), help: "Seconds an issuer's JWKS is kept before it is fetched again. [PORTICO_JWKS_CACHE_TTL, default: 7200]")
    var jwksCacheTtl: Int?

    @Option(name: .customLong("account-rate-limit"), help: "Account-level throttle: requests per second across every REST and HTTP API. [PORTICO_ACCOUNT_RATE_LIMIT, default: 10000]")
    var accountRateLimit: Double?

    @Option(name: .customLong("account-burst-limit"), help: "Account-level throttle: the token bucket's size. [PORTICO_ACCOUNT_BURST_LIMIT, default: 5000]")
    var accountBurstLimit: Int?

    @Flag(name: .customLong("no-account-throttle"), help: "Turn the account-level throttle off (stage, route and usage plan throttles still apply). [PORTICO_NO_ACCOUNT_THROTTLE=1]")
    var noAccountThrottle = false
    @Option(name: .customLong("response-cache-max-bytes"), help: "Most bytes one stage's response cache holds, whatever its cache cluster size. [PORTICO_RESPONSE_CACHE_MAX_BYTES, default: 67108864]")
    var responseCacheMaxBytes: Int?

    @Option(help: "Region shown in ARNs. [PORTICO_REGION, default: us-east-1]")
    var region: String?

    @Option(name: .customLong("account-id"), help: "Account id shown in ARNs and $context.accountId. [PORTICO_ACCOUNT_ID, default: 000000000000]")
    var accountId: String?

    @Option(name: .customLong("lambda-endpoint"), help: "Lambda Invoke API endpoint (http:// or https://) for functions not run locally; signed with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or the AWS credentials file. [PORTICO_LAMBDA_ENDPOINT]")
    var lambdaEndpoint: String?

    @Option(name: .customLong("lambda-region"), help: "Region signed into Lambda Invoke requests. [PORTICO_LAMBDA_REGION, else AWS_REGION, AWS_DEFAULT_REGION, default: us-east-1]")
    var lambdaRegion: String?

    @Option(name: .customLong("max-function-zip-bytes"), help: "Largest Lambda deployment package uploaded as a zip; Lambda's quota is 50 MB. [PORTICO_MAX_FUNCTION_ZIP_BYTES, default: 52428800]")
    var maxFunctionZipBytes: Int?

    @Option(name: .customLong("max-function-unzipped-bytes"), help: "Largest unpacked Lambda deployment package; Lambda's quota is 250 MB. [PORTICO_MAX_FUNCTION_UNZIPPED_BYTES, default: 262144000]")
    var maxFunctionUnzippedBytes: Int?

    @Option(help: "Portico's config file (YAML): functions to run locally, see docs/FUNCTIONS.md. [PORTICO_CONFIG]")
    var config: String?

    @Option(name: .customLong("function-idle-seconds"), help: "Seconds an idle function process stays warm. [PORTICO_FUNCTION_IDLE_SECONDS, default: 300]")
    var functionIdleSeconds: Int?

    @Option(name: .customLong("function-concurrency"), help: "Processes per function without reserved concurrency. [PORTICO_FUNCTION_CONCURRENCY, default: 10]")
    var functionConcurrency: Int?

    @Option(name: .customLong("function-memory-check-ms"), help: "How often a function process's resident memory is compared with its memory size; 0 turns enforcement off. [PORTICO_FUNCTION_MEMORY_CHECK_MS, default: 100]")
    var functionMemoryCheckMs: Int?

    @Option(name: .customLong("python-runtime-command"), help: "Runs python3.x functions; the handler is appended. [PORTICO_PYTHON_RUNTIME_COMMAND, default: python3 -m awslambdaric]")
    var pythonRuntimeCommand: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func value(_ flag: String?, _ name: String) -> String? { flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func number(_ flag: Int?, _ name: String, _ option: String) throws -> Int? {
            if let flag { return flag }
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let number = Int(text) else { throw ValidationError("\(name)=\(text) is not a whole number (\(option))") }
            return number
        }
        func truthy(_ name: String) -> Bool { ["1", "true", "yes"].contains(environment[name]?.lowercased() ?? "") }

        var configuration = PorticoConfiguration()
        configuration.dataDirectory = value(dataDir, "PORTICO_DATA_DIR") ?? "portico-data"
        let data = try Self.parseAddress(value(listen, "PORTICO_LISTEN") ?? "127.0.0.1:8080", option: "--listen")
        configuration.dataPlane.host = data.host
        configuration.dataPlane.port = data.port
        let management = try Self.parseAddress(value(managementListen, "PORTICO_MANAGEMENT_LISTEN") ?? "127.0.0.1:4566", option: "--management-listen")
        configuration.management.host = management.host
        configuration.management.port = management.port
        let levelText = value(logLevel, "PORTICO_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("--log-level \(levelText) is not one of trace, debug, info, notice, warning, error, critical")
        }
        configuration.logLevel = level
        configuration.management.enableReset = enableReset || truthy("PORTICO_ENABLE_RESET")
        configuration.seedExample = !(noExample || truthy("PORTICO_NO_EXAMPLE"))
        if let loops = try number(eventLoops, "PORTICO_EVENT_LOOPS", "--event-loops") {
            guard (1...256).contains(loops) else { throw ValidationError("--event-loops must be between 1 and 256") }
            configuration.dataPlane.eventLoopCount = loops
        }
        if let maximum = try number(maxIntegrationTimeoutMillis, "PORTICO_MAX_INTEGRATION_TIMEOUT_MS", "--max-integration-timeout-ms") {
            guard maximum >= 50 else { throw ValidationError("--max-integration-timeout-ms must be at least 50") }
            configuration.management.maxIntegrationTimeoutMillis = maximum
            // REST APIs: 29 s by default, more where asked (AWS allows it for regional and private APIs).
            configuration.management.maxRestIntegrationTimeoutMillis = max(29_000, maximum)
        }
        if let timeout = try number(integrationTimeoutMillis, "PORTICO_INTEGRATION_TIMEOUT_MS", "--integration-timeout-ms") {
            guard timeout >= 50, timeout <= configuration.management.maxIntegrationTimeoutMillis else {
                throw ValidationError(
                    "--integration-timeout-ms must be between 50 and the maximum (\(configuration.management.maxIntegrationTimeoutMillis); raise it with --max-integration-timeout-ms)")
            }
            configuration.defaultIntegrationTimeoutMillis = timeout
            configuration.management.defaultIntegrationTimeoutMillis = timeout
        }
        if let bytes = try number(maxPayloadBytes, "PORTICO_MAX_PAYLOAD_BYTES", "--max-payload-bytes") {
            guard bytes > 0 else { throw ValidationError("--max-payload-bytes must be positive") }
            configuration.dataPlane.maxPayloadBytes = bytes
        }
        if let bytes = try number(maxHeaderBytes, "PORTICO_MAX_HEADER_BYTES", "--max-header-bytes") {
            guard bytes >= 256 else { throw ValidationError("--max-header-bytes must be at least 256") }
            configuration.dataPlane.maxHeaderBytes = bytes
        }
        if let count = try number(maxConnections, "PORTICO_MAX_CONNECTIONS", "--max-connections") {
            guard count > 0 else { throw ValidationError("--max-connections must be positive") }
            configuration.dataPlane.maxConnections = count
        }
        if let seconds = try number(idleTimeout, "PORTICO_IDLE_TIMEOUT", "--idle-timeout") {
            guard seconds > 0 else { throw ValidationError("--idle-timeout must be positive") }
            configuration.dataPlane.idleTimeoutSeconds = Int64(seconds)
        }
        if let seconds = try number(jwksMinRefreshSeconds, "PORTICO_JWKS_MIN_REFRESH_SECONDS", "--jwks-min-refresh-seconds") {
            guard seconds >= 0 else { throw ValidationError("--jwks-min-refresh-seconds must not be negative") }
            configuration.dataPlane.jwksMinRefreshSeconds = Int64(seconds)
        }
        if let count = try number(jwtVerifiedTokens, "PORTICO_JWT_VERIFIED_TOKENS", "--jwt-verified-tokens") {
            guard count >= 0 else { throw ValidationError("--jwt-verified-tokens must not be negative") }
            configuration.dataPlane.jwtVerifiedTokens = count
        }
        let jwksPairs = jwksUrls.isEmpty
            ? (value(nil, "PORTICO_JWKS_URLS") ?? "").split(whereSeparator: \.isWhitespace).map(String.init) : jwksUrls
        for pair in jwksPairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--jwks-url \(pair) is not ISSUER=URL")
            }
            let issuer = String(pair[..<equals])
            let url = String(pair[pair.index(after: equals)...])
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ValidationError("--jwks-url \(pair): the JWKS URL must be http or https")
            }
            configuration.dataPlane.jwksUrls[issuer] = url
        }
        if let endpoint = value(cognitoEndpoint, "PORTICO_COGNITO_ENDPOINT") {
            let loopback = ["http://127.", "http://localhost", "http://[::1]"].contains { endpoint.hasPrefix($0) }
            guard endpoint.hasPrefix("https://") || loopback else {
                throw ValidationError("--cognito-endpoint must be an https URL, or http on a loopback host")
            }
            configuration.dataPlane.cognitoEndpoint = endpoint
        }
        try webSocketOptions.apply(to: &configuration, environment: environment)
        if let seconds = try number(jwksCacheTtl, "PORTICO_JWKS_CACHE_TTL", "--jwks-cache-ttl") {
            guard seconds > 0 else { throw ValidationError("--jwks-cache-ttl must be positive") }
            configuration.dataPlane.jwksCacheTtlSeconds = Int64(seconds)
        }
        try applyAccountThrottle(to: &configuration, environment: environment, number: number, truthy: truthy)
        if let bytes = try number(responseCacheMaxBytes, "PORTICO_RESPONSE_CACHE_MAX_BYTES", "--response-cache-max-bytes") {
            guard bytes >= 0 else { throw ValidationError("--response-cache-max-bytes must not be negative") }
            configuration.responseCacheMaxBytes = bytes
        }
        if let region = value(region, "PORTICO_REGION") {
            configuration.management.region = region
            configuration.dataPlane.region = region
        }
        if let account = value(accountId, "PORTICO_ACCOUNT_ID") {
            guard account.count == 12, account.allSatisfy(\.isNumber) else { throw ValidationError("--account-id must be 12 digits") }
            configuration.management.accountId = account
            configuration.dataPlane.accountId = account
        }
        if let bytes = try number(maxFunctionZipBytes, "PORTICO_MAX_FUNCTION_ZIP_BYTES", "--max-function-zip-bytes") {
            guard bytes > 0 else { throw ValidationError("--max-function-zip-bytes must be positive") }
            configuration.management.maxFunctionZipBytes = bytes
        }
        if let bytes = try number(maxFunctionUnzippedBytes, "PORTICO_MAX_FUNCTION_UNZIPPED_BYTES", "--max-function-unzipped-bytes") {
            guard bytes > 0 else { throw ValidationError("--max-function-unzipped-bytes must be positive") }
            configuration.management.maxFunctionUnzippedBytes = bytes
        }
        if let path = value(upstreamCAFile, "PORTICO_UPSTREAM_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("--upstream-ca-file \(path) cannot be read")
            }
            configuration.dataPlane.upstreamCAFiles = [path]
        }
        configuration.credentials = try credentials(value)
        if let endpoint = value(lambdaEndpoint, "PORTICO_LAMBDA_ENDPOINT") {
            configuration.lambdaEndpoint = endpoint
            configuration.lambdaRegion =
                value(lambdaRegion, "PORTICO_LAMBDA_REGION") ?? value(nil, "AWS_REGION") ?? value(nil, "AWS_DEFAULT_REGION") ?? "us-east-1"
            do {
                configuration.lambdaCredentials = try AWSCredentials.resolve(environment: environment)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        configuration.configFile = value(config, "PORTICO_CONFIG")
        if let seconds = try number(functionIdleSeconds, "PORTICO_FUNCTION_IDLE_SECONDS", "--function-idle-seconds") {
            guard seconds > 0 else { throw ValidationError("--function-idle-seconds must be positive") }
            configuration.functionHost.idleSeconds = Double(seconds)
        }
        if let count = try number(functionConcurrency, "PORTICO_FUNCTION_CONCURRENCY", "--function-concurrency") {
            guard count > 0 else { throw ValidationError("--function-concurrency must be positive") }
            configuration.functionHost.defaultConcurrency = count
        }
        if let interval = try number(functionMemoryCheckMs, "PORTICO_FUNCTION_MEMORY_CHECK_MS", "--function-memory-check-ms") {
            guard interval >= 0 else { throw ValidationError("--function-memory-check-ms must not be negative") }
            configuration.functionHost.memoryCheckMilliseconds = interval
        }
        if let command = value(pythonRuntimeCommand, "PORTICO_PYTHON_RUNTIME_COMMAND") {
            let argv = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !argv.isEmpty else { throw ValidationError("--python-runtime-command is empty") }
            configuration.functionHost.pythonRuntimeCommand = argv
        }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "portico")
        do {
            try await PorticoApplication(configuration: configuration, logger: logger).run()
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("portico: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `--account-rate-limit`, `--account-burst-limit`, `--no-account-throttle` and their environment variables.
    func applyAccountThrottle(
        to configuration: inout PorticoConfiguration, environment: [String: String],
        number: (Int?, String, String) throws -> Int?, truthy: (String) -> Bool
    ) throws {
        var limit = ThrottleLimit.awsAccountDefault
        if let rate = accountRateLimit ?? environment["PORTICO_ACCOUNT_RATE_LIMIT"].flatMap({ $0.isEmpty ? nil : $0 }).map({ text in Double(text) ?? .nan }) {
            // A rate of 0 would refuse every request; --no-account-throttle is the way to turn the limit off.
            guard rate.isFinite, rate > 0 else { throw ValidationError("--account-rate-limit must be a positive number of requests per second") }
            limit.rate = rate
        }
        if let burst = try number(accountBurstLimit, "PORTICO_ACCOUNT_BURST_LIMIT", "--account-burst-limit") {
            guard burst > 0 else { throw ValidationError("--account-burst-limit must be positive") }
            limit.burst = burst
        }
        let off = noAccountThrottle || truthy("PORTICO_NO_ACCOUNT_THROTTLE")
        configuration.dataPlane.accountThrottle = off ? nil : limit
    }

    /// Management credentials from flags, environment and/or a credentials file.
    func credentials(_ value: (String?, String) -> String?) throws -> [String: String] {
        var credentials: [String: String] = [:]
        let key = value(accessKeyId, "PORTICO_ACCESS_KEY_ID")
        let secret = value(secretAccessKey, "PORTICO_SECRET_ACCESS_KEY")
        switch (key, secret) {
        case (let key?, let secret?): credentials[key] = secret
        case (nil, nil): break
        case (_?, nil): throw ValidationError("--access-key-id needs --secret-access-key (or PORTICO_SECRET_ACCESS_KEY)")
        case (nil, _?): throw ValidationError("--secret-access-key needs --access-key-id (or PORTICO_ACCESS_KEY_ID)")
        }
        if let path = value(credentialsFile, "PORTICO_CREDENTIALS_FILE") {
            do {
                for (id, secret) in try CredentialsFile.load(path: path) { credentials[id] = secret }
            } catch {
                throw ValidationError("\(error)")
            }
            if credentials.isEmpty { throw ValidationError("the credentials file \(path) holds no credentials") }
        }
        return credentials
    }

    /// `HOST:PORT`, `[IPv6]:PORT`; port 0 means an ephemeral port.
    static func parseAddress(_ text: String, option: String) throws -> (host: String, port: Int) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ValidationError("\(option) \(text): expected [IPV6]:PORT") }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw ValidationError("\(option) \(text): expected HOST:PORT, for example 127.0.0.1:8080")
        }
        guard !host.isEmpty else { throw ValidationError("\(option) \(text): the host is missing") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("\(option) \(text): the port must be a number from 0 to 65535")
        }
        return (String(host), port)
    }
}
