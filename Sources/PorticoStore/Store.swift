public import PorticoModel

/// Where Portico keeps the resources the management API manages.
///
/// Every management operation runs as one ``transaction(_:)``: it reads the documents it needs,
/// changes them, and either all its writes land or none do. Implementations: ``SQLiteStore``
/// (embedded, the default); a PostgreSQL store for fleets fills the same protocol later. Nothing
/// outside this module knows which one is in use.
public protocol Store: Sendable {
    /// Runs `body` in one transaction. If `body` throws, nothing it wrote is kept.
    func transaction<T: Sendable>(_ body: @Sendable (any StoreTransaction) throws -> T) async throws -> T

    /// Everything committed from now on, one event per committed transaction that changed
    /// anything. Each call returns a new stream.
    func changes() -> AsyncStream<StoreChange>
}

/// What a transaction can read and write.
public protocol StoreTransaction {
    func apiDocument(id: String) throws -> ApiDocument?
    /// All API documents, ordered by API id.
    func allApiDocuments() throws -> [ApiDocument]
    func putApiDocument(_ document: ApiDocument) throws
    /// Deletes the API and its deployment snapshots.
    func deleteApiDocument(id: String) throws

    func deploymentSnapshot(apiId: String, deploymentId: String) throws -> DeploymentSnapshot?
    func putDeploymentSnapshot(_ snapshot: DeploymentSnapshot) throws
    func deleteDeploymentSnapshot(apiId: String, deploymentId: String) throws

    func restApiDocument(id: String) throws -> RestApiDocument?
    /// All REST API documents, ordered by REST API id.
    func allRestApiDocuments() throws -> [RestApiDocument]
    func putRestApiDocument(_ document: RestApiDocument) throws
    /// Deletes the REST API and its deployment snapshots.
    func deleteRestApiDocument(id: String) throws

    func restDeploymentSnapshot(restApiId: String, deploymentId: String) throws -> RestDeploymentSnapshot?
    func putRestDeploymentSnapshot(_ snapshot: RestDeploymentSnapshot) throws
    func deleteRestDeploymentSnapshot(restApiId: String, deploymentId: String) throws

    /// A Lambda function created through the management API, by name.
    func lambdaFunction(name: String) throws -> LambdaFunctionDocument?
    /// All Lambda functions, ordered by name.
    func allLambdaFunctions() throws -> [LambdaFunctionDocument]
    func putLambdaFunction(_ function: LambdaFunctionDocument) throws
    func deleteLambdaFunction(name: String) throws

    /// An API key by id.
    func apiKey(id: String) throws -> ApiKey?
    /// All API keys, ordered by id.
    func allApiKeys() throws -> [ApiKey]
    func putApiKey(_ key: ApiKey) throws
    func deleteApiKey(id: String) throws

    /// A usage plan (with the ids of its keys) by id.
    func usagePlan(id: String) throws -> UsagePlanDocument?
    /// All usage plans, ordered by id.
    func allUsagePlans() throws -> [UsagePlanDocument]
    func putUsagePlan(_ document: UsagePlanDocument) throws
    /// Deletes the plan and its usage history.
    func deleteUsagePlan(id: String) throws

    /// The usage history of a plan (one key's, or every key's when `keyId` is `nil`) for the days `from...to`
    /// (`yyyy-MM-dd`, inclusive), ordered by key then day.
    func usage(usagePlanId: String, keyId: String?, from: String, to: String) throws -> [UsageRecord]
    /// Adds each record's `used` to the stored count of its plan, key and day. Usage is counted, not
    /// configured: adding it announces no change.
    func addUsage(_ records: [UsageRecord]) throws

    /// An IAM user managed through the IAM-compatible API, by name.
    func iamUser(name: String) throws -> IamUserDocument?
    /// All IAM users, ordered by name.
    func allIamUsers() throws -> [IamUserDocument]
    func putIamUser(_ user: IamUserDocument) throws
    func deleteIamUser(name: String) throws

    /// An IAM role managed through the IAM-compatible API, by name.
    func iamRole(name: String) throws -> IamRoleDocument?
    /// All IAM roles, ordered by name.
    func allIamRoles() throws -> [IamRoleDocument]
    func putIamRole(_ role: IamRoleDocument) throws
    func deleteIamRole(name: String) throws

    /// Deletes everything (`POST /_portico/reset`).
    func deleteEverything() throws
}

/// A committed change: the ids of the APIs whose documents or snapshots changed, HTTP APIs and
/// REST APIs apart (they are compiled differently; their ids never collide), the names of the
/// Lambda functions written or deleted, and whether API keys or usage plans changed.
public struct StoreChange: Sendable, Equatable {
    public var apiIds: Set<String>
    public var restApiIds: Set<String>
    public var functionNames: Set<String>
    /// `true` when an API key, a usage plan or a usage plan key was written or deleted.
    public var usagePlans: Bool
    /// `true` when the change was a reset of everything.
    public var everything: Bool
    /// `true` when an IAM user, access key, role or inline policy changed (the data plane's credentials).
    public var iamUsers: Bool

    public init(
        apiIds: Set<String>, restApiIds: Set<String> = [], functionNames: Set<String> = [], usagePlans: Bool = false,
        everything: Bool = false, iamUsers: Bool = false
    ) {
        self.iamUsers = iamUsers
        self.apiIds = apiIds
        self.restApiIds = restApiIds
        self.functionNames = functionNames
        self.usagePlans = usagePlans
        self.everything = everything
    }
}
