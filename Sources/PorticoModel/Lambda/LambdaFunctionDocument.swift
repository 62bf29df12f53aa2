/// Everything the store keeps for one Lambda function created through the Lambda-compatible
/// management API (`aws lambda create-function`): its `$LATEST` configuration, where its unpacked
/// code lives, its tags, its resource policy and its reserved concurrency. Read and written as one
/// unit, like ``ApiDocument``, so that every Lambda operation is one transaction over one document.
///
/// Only `$LATEST` exists: Portico does not publish versions or aliases (yet), so `Version` is always
/// `$LATEST`, as it is on AWS for a function that was never published.
public struct LambdaFunctionDocument: Codable, Sendable, Equatable {
    public var functionName: String
    /// `python3.12`, `provided.al2023`, ... (AWS's `Runtime`).
    public var runtime: String?
    /// The execution role ARN: accepted and shown back, never assumed.
    public var role: String
    public var handler: String?
    public var description: String
    /// Seconds, 1–900.
    public var timeout: Int
    /// MB, 128–10240.
    public var memorySize: Int
    /// `Environment.Variables`; nil when the function has none (AWS then omits `Environment`).
    public var environment: [String: String]?
    /// `x86_64` or `arm64`; recorded, not enforced (local processes run on the host's architecture).
    public var architectures: [String]
    /// `Zip` (the only package type Portico runs).
    public var packageType: String
    /// `EphemeralStorage.Size` in MB (AWS's default is 512).
    public var ephemeralStorageSize: Int
    /// `TracingConfig.Mode` (`PassThrough` unless set).
    public var tracingMode: String
    public var code: LambdaFunctionCode
    /// `LastModified` exactly as Lambda formats it (`2024-01-02T03:04:05.678+0000`).
    public var lastModified: String
    /// Lambda's `RevisionId`: a new UUID on every change of code or configuration.
    public var revisionId: String
    public var tags: [String: String]?
    /// The function's resource-based policy, in the order the statements were added.
    public var permissions: [LambdaPermission]
    /// `PutFunctionConcurrency`'s `ReservedConcurrentExecutions`; nil when none is reserved.
    public var reservedConcurrency: Int?
    /// The revision id of the resource policy (GetPolicy's `RevisionId`); changes with every
    /// AddPermission and RemovePermission.
    public var policyRevisionId: String?

    public init(
        functionName: String, runtime: String?, role: String, handler: String?, description: String = "",
        timeout: Int = 3, memorySize: Int = 128, environment: [String: String]? = nil,
        architectures: [String] = ["x86_64"], packageType: String = "Zip", ephemeralStorageSize: Int = 512,
        tracingMode: String = "PassThrough", code: LambdaFunctionCode, lastModified: String, revisionId: String,
        tags: [String: String]? = nil, permissions: [LambdaPermission] = [], reservedConcurrency: Int? = nil,
        policyRevisionId: String? = nil
    ) {
        self.functionName = functionName
        self.runtime = runtime
        self.role = role
        self.handler = handler
        self.description = description
        self.timeout = timeout
        self.memorySize = memorySize
        self.environment = environment
        self.architectures = architectures
        self.packageType = packageType
        self.ephemeralStorageSize = ephemeralStorageSize
        self.tracingMode = tracingMode
        self.code = code
        self.lastModified = lastModified
        self.revisionId = revisionId
        self.tags = tags
        self.permissions = permissions
        self.reservedConcurrency = reservedConcurrency
        self.policyRevisionId = policyRevisionId
    }
}

/// A function's deployment package as uploaded: its digest and size (what AWS reports) and the
/// directory it was unpacked into (what the function host runs).
public struct LambdaFunctionCode: Codable, Sendable, Equatable {
    /// Base64 of the SHA-256 of the zip (AWS's `CodeSha256`).
    public var sha256: String
    /// The zip's size in bytes (AWS's `CodeSize`).
    public var size: Int
    /// The absolute path of the unpacked code (the task root).
    public var directory: String

    public init(sha256: String, size: Int, directory: String) {
        self.sha256 = sha256
        self.size = size
        self.directory = directory
    }
}

/// One statement of a function's resource-based policy, as AddPermission builds it.
public struct LambdaPermission: Codable, Sendable, Equatable {
    public var statementId: String
    /// `lambda:InvokeFunction`, ...
    public var action: String
    /// The principal as the policy shows it: `{"Service": "..."}`, `{"AWS": "..."}` or `*`.
    public var principal: LambdaPrincipal
    /// The function ARN the statement grants access to.
    public var resource: String
    public var sourceArn: String?
    public var sourceAccount: String?
    public var eventSourceToken: String?
    public var principalOrgId: String?
    public var functionUrlAuthType: String?

    public init(
        statementId: String, action: String, principal: LambdaPrincipal, resource: String, sourceArn: String? = nil,
        sourceAccount: String? = nil, eventSourceToken: String? = nil, principalOrgId: String? = nil,
        functionUrlAuthType: String? = nil
    ) {
        self.statementId = statementId
        self.action = action
        self.principal = principal
        self.resource = resource
        self.sourceArn = sourceArn
        self.sourceAccount = sourceAccount
        self.eventSourceToken = eventSourceToken
        self.principalOrgId = principalOrgId
        self.functionUrlAuthType = functionUrlAuthType
    }
}

/// The `Principal` element of a policy statement.
public enum LambdaPrincipal: Codable, Sendable, Equatable {
    /// A service principal such as `apigateway.amazonaws.com`.
    case service(String)
    /// An account root or IAM ARN (`arn:aws:iam::123456789012:root`).
    case aws(String)
    /// `*`.
    case anyone
}
