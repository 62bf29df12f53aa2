import Foundation
import GRDB

/// The embedded store: one SQLite file, `portico.sqlite`, in the data directory, in WAL mode.
///
/// Tables (each a ``JSONTable``): `api_documents(api_id, document)` holds one ``ApiDocument`` per API as JSON;
/// `deployment_snapshots(api_id, deployment_id, snapshot)` holds the immutable
/// ``DeploymentSnapshot``s. REST APIs have the same pair: `rest_api_documents(rest_api_id,
/// document)` and `rest_deployment_snapshots(rest_api_id, deployment_id, snapshot)`. Lambda
/// functions are in `lambda_functions(function_name, document)`. API keys and usage plans are in
/// `api_keys(key_id, document)` and `usage_plans(usage_plan_id, document)`, and the usage history in
/// `usage_counts(usage_plan_id, key_id, day, used)` (plain integers, added to by the data plane's write-behind).
/// IAM users are in `iam_users(user_name, document)`, IAM roles in `iam_roles(role_name, document)`. The schema is versioned with
/// GRDB's `DatabaseMigrator`.
///
/// Transactions are serialised by SQLite's single writer; each one's ``StoreChange`` is emitted
/// after its commit and in commit order.
public final class SQLiteStore: Store {
    public static let fileName = "portico.sqlite"

    /// The path of the database file.
    public let path: String
    private let pool: DatabasePool
    private let broadcaster = StoreChangeBroadcaster()

    /// Opens (creating when missing) `portico.sqlite` in `directory` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError`` naming the directory or file when the directory cannot be created,
    ///   read or written, or the file is not a Portico database.
    public init(directory: String) throws {
        try Self.prepareDirectory(directory)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        self.path = path

        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "portico.store"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError("Cannot open the store \(path): \(Self.describe(error))")
        }
        do {
            let migrator = Self.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw StoreError("The store \(path) was written by a newer version of Portico (unknown schema migrations)")
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("Cannot open the store \(path): \(Self.describe(error))")
        }
        self.pool = pool
    }

    deinit {
        broadcaster.finishAll()
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        let broadcaster = self.broadcaster
        return try await pool.writeWithoutTransaction { db in
            let transaction = SQLiteTransaction(db: db)
            var result: T?
            try db.inTransaction {
                result = try body(transaction)
                return .commit
            }
            // Still on the writer: changes are announced in commit order.
            if let change = transaction.change {
                broadcaster.yield(change)
            }
            return result!
        }
    }

    public func changes() -> AsyncStream<StoreChange> {
        broadcaster.stream()
    }

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: api documents and deployment snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_documents (
                        api_id TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    CREATE TABLE deployment_snapshots (
                        api_id TEXT NOT NULL,
                        deployment_id TEXT NOT NULL,
                        snapshot TEXT NOT NULL,
                        PRIMARY KEY (api_id, deployment_id)
                    );
                    """)
        }
        migrator.registerMigration("v2: rest api documents and rest deployment snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rest_api_documents (
                        rest_api_id TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    CREATE TABLE rest_deployment_snapshots (
                        rest_api_id TEXT NOT NULL,
                        deployment_id TEXT NOT NULL,
                        snapshot TEXT NOT NULL,
                        PRIMARY KEY (rest_api_id, deployment_id)
                    );
                    """)
        }
        migrator.registerMigration("v3: lambda functions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lambda_functions (
                        function_name TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4: api keys, usage plans and usage counts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_keys (
                        key_id TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    CREATE TABLE usage_plans (
                        usage_plan_id TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    CREATE TABLE usage_counts (
                        usage_plan_id TEXT NOT NULL,
                        key_id TEXT NOT NULL,
                        day TEXT NOT NULL,
                        used INTEGER NOT NULL,
                        PRIMARY KEY (usage_plan_id, key_id, day)
                    );
                    """)
        }
        // v4 is another feature's (API keys and usage plans); GRDB applies migrations by name in
        // registration order, so v5 stays after it whichever branch lands first.
        migrator.registerMigration("v5: iam users") { db in
            try db.execute(
                sql: """
                    CREATE TABLE iam_users (
                        user_name TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v6: iam roles") { db in
            try db.execute(
                sql: """
                    CREATE TABLE iam_roles (
                        role_name TEXT NOT NULL PRIMARY KEY,
                        document TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }

    // MARK: - Opening

    private static func prepareDirectory(_ directory: String) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError("The data directory \(directory) is not a directory")
            }
        } else {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError("Cannot create the data directory \(directory): \(error.localizedDescription)")
            }
        }
        guard fileManager.isReadableFile(atPath: directory), fileManager.isWritableFile(atPath: directory),
            fileManager.isExecutableFile(atPath: directory)
        else {
            throw StoreError("The data directory \(directory) is not readable and writable by this process")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.resultCode): \(error.message ?? "unknown SQLite error")"
        }
        return String(describing: error)
    }
}
