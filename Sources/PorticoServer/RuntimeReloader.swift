import Foundation
import Logging
import PorticoAuth
import PorticoDataPlane
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoStore

/// Keeps the data plane's runtime table in step with the store: compiles every API at start,
/// then recompiles only the APIs a committed change names and installs a new table. HTTP APIs
/// and REST APIs are compiled apart (``StoreChange/apiIds`` and ``StoreChange/restApiIds``), so a
/// change to one kind never recompiles the other.
actor RuntimeReloader {
    private let store: any Store
    private let compiler: DeploymentCompiler
    private let restCompiler: RestDeploymentCompiler
    private let dataPlane: DataPlaneServer
    private let metrics: MetricsRegistry
    private let logger: Logger
    private var compiled: [String: RuntimeApi] = [:]
    private var compiledRest: [String: RestRuntimeApi] = [:]
    private var usagePlans: UsagePlanTable = .empty
    /// The quota counters (the one place their counts live); the usage-plan table references them.
    let usageCounters: UsageCounters
    private var generation = 0
    private var iam = IamCredentialTable.empty
    private let accountId: String
    /// Local function processes' temporary credentials, checked live by the data plane.
    private let sessions: TemporaryCredentialRegistry?

    init(
        store: any Store, compiler: DeploymentCompiler, restCompiler: RestDeploymentCompiler, dataPlane: DataPlaneServer,
        metrics: MetricsRegistry, logger: Logger, usageCounters: UsageCounters = UsageCounters(),
        accountId: String = "000000000000", sessions: TemporaryCredentialRegistry? = nil
    ) {
        self.sessions = sessions
        self.usageCounters = usageCounters
        self.accountId = accountId
        self.store = store
        self.compiler = compiler
        self.restCompiler = restCompiler
        self.dataPlane = dataPlane
        self.metrics = metrics
        self.logger = logger
    }

    /// Compiles everything and installs it.
    func loadAll() async throws {
        let (documents, restDocuments, users) = try await store.transaction { transaction in
            let http = try transaction.allApiDocuments().map { document in
                (document, try Self.snapshots(for: document, transaction))
            }
            let rest = try transaction.allRestApiDocuments().map { document in
                (document, try Self.restSnapshots(for: document, transaction))
            }
            return (http, rest, (try transaction.allIamUsers(), try transaction.allIamRoles()))
        }
        iam = IamCredentialTable(users: users.0, roles: users.1, accountId: accountId, sessions: sessions)
        compiled = [:]
        for (document, snapshots) in documents {
            compiled[document.api.apiId] = compile(document, snapshots)
        }
        compiledRest = [:]
        for (document, snapshots) in restDocuments {
            compiledRest[document.restApi.id] = compileRest(document, snapshots)
        }
        try await compileUsagePlans()
        await install()
    }

    /// Applies one committed change.
    func apply(_ change: StoreChange) async {
        if change.everything {
            for apiId in Array(compiled.keys) + Array(compiledRest.keys) {
                metrics.remove(apiId: apiId)
                compiler.throttleBuckets?.remove(apiId: apiId)
            }
            do { try await loadAll() } catch { logger.error("reloading the runtime table failed", metadata: ["error": "\(error)"]) }
            return
        }
        if change.usagePlans {
            do {
                try await compileUsagePlans()
            } catch {
                logger.error("recompiling API keys and usage plans failed", metadata: ["error": "\(error)"])
            }
        }
        if change.iamUsers {
            do {
                let (users, roles) = try await store.transaction { (try $0.allIamUsers(), try $0.allIamRoles()) }
                iam = IamCredentialTable(users: users, roles: roles, accountId: accountId, sessions: sessions)
            } catch {
                logger.error("reloading IAM credentials failed", metadata: ["error": "\(error)"])
            }
        }
        if change.usagePlans || change.iamUsers {
            if change.apiIds.isEmpty && change.restApiIds.isEmpty {
                await install()
                return
            }
        }
        guard !change.apiIds.isEmpty || !change.restApiIds.isEmpty else { return }
        do {
            let ids = change.apiIds
            let restIds = change.restApiIds
            let (loaded, loadedRest) = try await store.transaction { transaction in
                let http = try ids.map { id -> (String, ApiDocument?, [String: DeploymentSnapshot]) in
                    guard let document = try transaction.apiDocument(id: id) else { return (id, nil, [:]) }
                    return (id, document, try Self.snapshots(for: document, transaction))
                }
                let rest = try restIds.map { id -> (String, RestApiDocument?, [String: RestDeploymentSnapshot]) in
                    guard let document = try transaction.restApiDocument(id: id) else { return (id, nil, [:]) }
                    return (id, document, try Self.restSnapshots(for: document, transaction))
                }
                return (http, rest)
            }
            replace(loaded, in: &compiled, compile: compile)
            replace(loadedRest, in: &compiledRest, compile: compileRest)
            await install()
        } catch {
            logger.error(
                "recompiling after a change failed",
                metadata: ["error": "\(error)", "apis": "\(change.apiIds.sorted())", "restApis": "\(change.restApiIds.sorted())"])
        }
    }

    /// Puts each reloaded API's compilation in `table`, or drops the API (and its metrics) when
    /// its document is gone.
    private func replace<Document, Snapshots, Compiled>(
        _ loaded: [(String, Document?, Snapshots)], in table: inout [String: Compiled], compile: (Document, Snapshots) -> Compiled
    ) {
        for (id, document, snapshots) in loaded {
            if let document {
                table[id] = compile(document, snapshots)
            } else {
                table[id] = nil
                metrics.remove(apiId: id)
                compiler.throttleBuckets?.remove(apiId: id)
            }
        }
    }

    private func compile(_ document: ApiDocument, _ snapshots: [String: DeploymentSnapshot]) -> RuntimeApi {
        let (api, warnings) = compiler.compile(document, snapshots: snapshots)
        for warning in warnings {
            logger.warning("\(warning)", metadata: ["api": "\(document.api.apiId)"])
        }
        return api
    }

    private func compileRest(_ document: RestApiDocument, _ snapshots: [String: RestDeploymentSnapshot]) -> RestRuntimeApi {
        let (api, warnings) = restCompiler.compile(document, snapshots: snapshots)
        for warning in warnings {
            logger.warning("\(warning)", metadata: ["restApi": "\(document.restApi.id)"])
        }
        return api
    }

    private func install() async {
        generation += 1
        await dataPlane.install(RuntimeTable(apis: compiled, restApis: compiledRest, usagePlans: usagePlans, generation: generation, iam: iam))
        logger.debug(
            "runtime table installed",
            metadata: ["generation": "\(generation)", "apis": "\(compiled.count)", "restApis": "\(compiledRest.count)"])
    }

    /// Compiles every API key and usage plan. Counters that do not exist yet start from the stored history of
    /// their current quota period (at most 31 days back: a MONTH period's longest span).
    private func compileUsagePlans() async throws {
        let today = QuotaPeriod.epochDay(of: Date())
        let from = QuotaPeriod.dayText(today - 31)
        let to = QuotaPeriod.dayText(today)
        let (keys, plans, history) = try await store.transaction { transaction in
            let plans = try transaction.allUsagePlans()
            var history: [String: [String: [Int: Int64]]] = [:]
            for plan in plans {
                for record in try transaction.usage(usagePlanId: plan.plan.id, keyId: nil, from: from, to: to) {
                    guard let day = QuotaPeriod.epochDay(ofText: record.day) else { continue }
                    history[plan.plan.id, default: [:]][record.keyId, default: [:]][day, default: 0] += record.used
                }
            }
            return (try transaction.allApiKeys(), plans, history)
        }
        usagePlans = UsagePlanCompiler.compile(keys: keys, plans: plans, counters: usageCounters, today: today) { planId, keyId, fromDay in
            (history[planId]?[keyId] ?? [:]).filter { $0.key >= fromDay }.values.reduce(0, +)
        }
    }

    private static func snapshots(for document: ApiDocument, _ transaction: any StoreTransaction) throws -> [String: DeploymentSnapshot] {
        var snapshots: [String: DeploymentSnapshot] = [:]
        for stage in document.stages {
            guard let id = stage.deploymentId, snapshots[id] == nil else { continue }
            snapshots[id] = try transaction.deploymentSnapshot(apiId: document.api.apiId, deploymentId: id)
        }
        return snapshots
    }

    /// The deployments a REST API's stages serve, canaries included.
    private static func restSnapshots(for document: RestApiDocument, _ transaction: any StoreTransaction) throws -> [String: RestDeploymentSnapshot] {
        var snapshots: [String: RestDeploymentSnapshot] = [:]
        for stage in document.stages {
            for id in stage.deploymentIds where snapshots[id] == nil {
                snapshots[id] = try transaction.restDeploymentSnapshot(restApiId: document.restApi.id, deploymentId: id)
            }
        }
        return snapshots
    }
}
