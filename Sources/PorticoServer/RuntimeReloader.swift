import Logging
import PorticoDataPlane
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoStore

/// Keeps the data plane's runtime table in step with the store: compiles every API at start,
/// then recompiles only the APIs a committed change names and installs a new table.
actor RuntimeReloader {
    private let store: any Store
    private let compiler: DeploymentCompiler
    private let dataPlane: DataPlaneServer
    private let metrics: MetricsRegistry
    private let logger: Logger
    private var compiled: [String: RuntimeApi] = [:]
    private var generation = 0

    init(store: any Store, compiler: DeploymentCompiler, dataPlane: DataPlaneServer, metrics: MetricsRegistry, logger: Logger) {
        self.store = store
        self.compiler = compiler
        self.dataPlane = dataPlane
        self.metrics = metrics
        self.logger = logger
    }

    /// Compiles everything and installs it.
    func loadAll() async throws {
        let documents = try await store.transaction { transaction in
            try transaction.allApiDocuments().map { document in
                (document, try Self.snapshots(for: document, transaction))
            }
        }
        compiled = [:]
        for (document, snapshots) in documents {
            compiled[document.api.apiId] = compile(document, snapshots)
        }
        await install()
    }

    /// Applies one committed change.
    func apply(_ change: StoreChange) async {
        if change.everything {
            for apiId in compiled.keys { metrics.remove(apiId: apiId) }
            do { try await loadAll() } catch { logger.error("reloading the runtime table failed", metadata: ["error": "\(error)"]) }
            return
        }
        do {
            let ids = change.apiIds
            let loaded = try await store.transaction { transaction in
                try ids.map { id -> (String, ApiDocument?, [String: DeploymentSnapshot]) in
                    guard let document = try transaction.apiDocument(id: id) else { return (id, nil, [:]) }
                    return (id, document, try Self.snapshots(for: document, transaction))
                }
            }
            for (id, document, snapshots) in loaded {
                if let document {
                    compiled[id] = compile(document, snapshots)
                } else {
                    compiled[id] = nil
                    metrics.remove(apiId: id)
                }
            }
            await install()
        } catch {
            logger.error("recompiling after a change failed", metadata: ["error": "\(error)", "apis": "\(change.apiIds.sorted())"])
        }
    }

    private func compile(_ document: ApiDocument, _ snapshots: [String: DeploymentSnapshot]) -> RuntimeApi {
        let (api, warnings) = compiler.compile(document, snapshots: snapshots)
        for warning in warnings {
            logger.warning("\(warning)", metadata: ["api": "\(document.api.apiId)"])
        }
        return api
    }

    private func install() async {
        generation += 1
        await dataPlane.install(RuntimeTable(apis: compiled, generation: generation))
        logger.debug("runtime table installed", metadata: ["generation": "\(generation)", "apis": "\(compiled.count)"])
    }

    private static func snapshots(for document: ApiDocument, _ transaction: any StoreTransaction) throws -> [String: DeploymentSnapshot] {
        var snapshots: [String: DeploymentSnapshot] = [:]
        for stage in document.stages {
            guard let id = stage.deploymentId, snapshots[id] == nil else { continue }
            snapshots[id] = try transaction.deploymentSnapshot(apiId: document.api.apiId, deploymentId: id)
        }
        return snapshots
    }
}
