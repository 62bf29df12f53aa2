/// A function as the host runs it. Built from the store (functions created with
/// `aws lambda create-function`) or from Portico's config file (functions declared by command).
public struct FunctionConfiguration: Sendable, Equatable {
    public var name: String
    /// `arn:aws:lambda:{region}:{account}:function:{name}`.
    public var arn: String
    /// `python3.12`, `provided.al2023`, ...; nil for a function declared by command.
    public var runtime: String?
    /// `module.function` for Python; passed as `_HANDLER` to every runtime.
    public var handler: String?
    /// The argv of a function declared by command; nil means "derive it from the runtime".
    public var command: [String]?
    /// The task root: the unpacked code, or a declared working directory.
    public var codeDirectory: String
    public var environment: [String: String]
    /// Lambda's `Timeout` (seconds, 1–900, default 3).
    public var timeoutSeconds: Int
    /// Lambda's `MemorySize` (MB, 128–10240, default 128): told to the process and enforced on
    /// its resident memory (`FunctionHostConfiguration.memoryCheckMilliseconds`).
    public var memorySizeMB: Int
    /// Reserved concurrency; nil means the host's default limit.
    public var reservedConcurrency: Int?
    public var version: String
    /// The execution role's ARN (`Role`); a process gets temporary credentials acting as it. nil: none.
    public var role: String?
    /// Changes whenever code or configuration changes; processes started for an older revision
    /// finish their invocation and are retired.
    public var revision: String

    public init(
        name: String, arn: String, runtime: String? = nil, handler: String? = nil, command: [String]? = nil,
        codeDirectory: String, environment: [String: String] = [:], timeoutSeconds: Int = 3,
        memorySizeMB: Int = 128, reservedConcurrency: Int? = nil, version: String = "$LATEST", role: String? = nil,
        revision: String
    ) {
        self.role = role
        self.name = name
        self.arn = arn
        self.runtime = runtime
        self.handler = handler
        self.command = command
        self.codeDirectory = codeDirectory
        self.environment = environment
        self.timeoutSeconds = timeoutSeconds
        self.memorySizeMB = memorySizeMB
        self.reservedConcurrency = reservedConcurrency
        self.version = version
        self.revision = revision
    }
}

/// The local function host, as the rest of Portico sees it: told which functions exist, asked to
/// invoke them, asked for their logs.
public protocol FunctionHosting: LambdaInvoking {
    /// Adds or replaces a function. A changed revision retires the old processes.
    func upsert(_ function: FunctionConfiguration)
    /// Removes a function; its processes are stopped.
    func remove(functionName: String)
    /// The function's captured stdout/stderr, last `maxBytes` bytes.
    func recentLog(functionName: String, maxBytes: Int) -> String
}
