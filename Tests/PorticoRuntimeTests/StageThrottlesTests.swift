import PorticoModel
import PorticoObservability
import Testing

@testable import PorticoRuntime

/// Which stage throttle a REST method or HTTP API route gets, and that the compilers give each method or route
/// its own bucket (shared by a REST stage's main deployment and its canary).
struct StageThrottlesTests {
    static let account = ThrottleLimit(rate: 50_000, burst: 20_000)

    static func setting(rate: Double = 10_000, burst: Int = 5_000) -> MethodSetting {
        var setting = MethodSetting()
        setting.throttlingRateLimit = rate
        setting.throttlingBurstLimit = burst
        return setting
    }

    static func rest(_ resourcePath: String, _ method: String, _ settings: [String: MethodSetting]) -> ThrottleLimit? {
        StageThrottles.restMethod(resourcePath: resourcePath, httpMethod: method, methodSettings: settings, account: account)
    }

    @Test func restStageDefaultAppliesToEveryMethod() {
        let settings = ["*/*": Self.setting(rate: 5, burst: 2)]
        #expect(Self.rest("/items", "GET", settings) == ThrottleLimit(rate: 5, burst: 2))
        #expect(Self.rest("/", "POST", settings) == ThrottleLimit(rate: 5, burst: 2))
        #expect(Self.rest("/items", "GET", [:]) == nil)
    }

    @Test func restMethodEntryOverridesTheStageDefaultMemberByMember() {
        let settings = ["*/*": Self.setting(rate: 5, burst: 2), "items/GET": Self.setting(rate: 100)]
        // The method's rate, the stage's burst (the method's burst is AWS's default value: not set).
        #expect(Self.rest("/items", "GET", settings) == ThrottleLimit(rate: 100, burst: 2))
        #expect(Self.rest("/items", "POST", settings) == ThrottleLimit(rate: 5, burst: 2))
        // The root resource, however its key was spelled.
        #expect(Self.rest("/", "GET", ["/GET": Self.setting(burst: 7)]) == ThrottleLimit(rate: 50_000, burst: 7))
        #expect(Self.rest("/", "GET", ["//GET": Self.setting(burst: 7)]) == ThrottleLimit(rate: 50_000, burst: 7))
    }

    @Test func unsetMembersComeFromTheAccount() {
        // An entry made only for metrics or caching carries AWS's default throttle values: no stage limit.
        #expect(Self.rest("/items", "GET", ["*/*": Self.setting()]) == nil)
        // -1 is AWS's and Terraform's "account default".
        #expect(Self.rest("/items", "GET", ["*/*": Self.setting(rate: -1, burst: -1)]) == nil)
        #expect(Self.rest("/items", "GET", ["*/*": Self.setting(rate: 3, burst: -1)]) == ThrottleLimit(rate: 3, burst: 20_000))
    }

    @Test func zeroIsALimitThatBlocksEverything() throws {
        let limit = try #require(Self.rest("/items", "GET", ["*/*": Self.setting(rate: 0, burst: 0)]))
        #expect(limit == ThrottleLimit(rate: 0, burst: 0))
        #expect(!limit.makeBucket().take(now: 1_000_000_000))
    }

    @Test func httpRouteSettingsOverrideDefaultRouteSettings() {
        var stage = Stage(stageName: "$default")
        stage.defaultRouteSettings = RouteSettings(throttlingBurstLimit: 4, throttlingRateLimit: 2)
        stage.routeSettings = ["GET /pets": RouteSettings(throttlingRateLimit: 100)]
        #expect(StageThrottles.httpRoute(routeKey: "GET /pets", stage: stage, account: Self.account) == ThrottleLimit(rate: 100, burst: 4))
        #expect(StageThrottles.httpRoute(routeKey: "$default", stage: stage, account: Self.account) == ThrottleLimit(rate: 2, burst: 4))
        // A new stage (defaultRouteSettings without throttle members): no stage limit.
        #expect(StageThrottles.httpRoute(routeKey: "GET /pets", stage: Stage(stageName: "dev"), account: Self.account) == nil)
        // AWS's "not configured" workaround, 10,000 / 5,000, is no limit of the stage's own.
        stage.defaultRouteSettings = RouteSettings(throttlingBurstLimit: 5_000, throttlingRateLimit: 10_000)
        #expect(StageThrottles.httpRoute(routeKey: "$default", stage: stage, account: Self.account) == nil)
    }

    @Test func httpCompilerGivesEachThrottledRouteItsOwnBucket() throws {
        var document = ApiDocument(api: Api(apiId: "api1234", name: "t", protocolType: .http))
        document.routes = [Route(routeId: "r1", routeKey: "GET /a"), Route(routeId: "r2", routeKey: "GET /b"), Route(routeId: "r3", routeKey: "GET /c")]
        var stage = Stage(stageName: "dev")
        stage.deploymentId = "dep1"
        stage.defaultRouteSettings = RouteSettings(throttlingBurstLimit: 2, throttlingRateLimit: 1)
        stage.routeSettings = ["GET /c": RouteSettings(throttlingBurstLimit: 9)]
        document.stages = [stage]
        let compiler = DeploymentCompiler(
            configuration: .init(accountThrottle: Self.account), metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))
        let (api, _) = compiler.compile(document, snapshots: ["dep1": DeploymentSnapshot(deploymentId: "dep1", of: document)])
        let router = try #require(api.stages["dev"]?.router)
        let a = try #require(router.match(method: "GET", path: "/a")?.value.throttle)
        let b = try #require(router.match(method: "GET", path: "/b")?.value.throttle)
        let c = try #require(router.match(method: "GET", path: "/c")?.value.throttle)
        #expect(a !== b)
        #expect(a.rate == 1 && a.burst == 2 && c.rate == 1 && c.burst == 9)
        // Emptying /a's bucket leaves /b's full.
        #expect(a.take(now: 0) && a.take(now: 0) && !a.take(now: 0))
        #expect(b.take(now: 0))
    }

    @Test func restCompilerSharesAMethodBucketBetweenMainAndCanary() throws {
        var document = RestDeploymentCompilerTests.document(integration: RestIntegration(type: "MOCK"))
        var stage = RestStage(stageName: "prod", deploymentId: "dep001", createdDate: nil)
        stage.methodSettings = ["*/*": Self.setting(rate: 1, burst: 3)]
        stage.canarySettings = CanarySettings(percentTraffic: 50, deploymentId: "dep002")
        let snapshots = [
            "dep001": RestDeploymentSnapshot(deploymentId: "dep001", of: document),
            "dep002": RestDeploymentSnapshot(deploymentId: "dep002", of: document),
        ]
        document.stages = [stage]
        let (api, _) = RestDeploymentCompilerTests.compiler.compile(document, snapshots: snapshots)
        let compiled = try #require(api.stages["prod"])
        let main = try #require(compiled.main.router.match(method: "GET", path: "/7")?.value.route.throttle)
        let canary = try #require(compiled.canary?.deployment.router.match(method: "GET", path: "/7")?.value.route.throttle)
        #expect(main === canary)
        #expect(main.rate == 1 && main.burst == 3)
    }
}

/// Stage buckets kept across recompilation by a ``ThrottleBuckets`` registry.
struct ThrottleBucketsTests {
    static func document(routeSettings: [String: RouteSettings]) -> (ApiDocument, [String: DeploymentSnapshot]) {
        var document = ApiDocument(api: Api(apiId: "api1234", name: "t", protocolType: .http))
        document.routes = [Route(routeId: "r1", routeKey: "GET /a"), Route(routeId: "r2", routeKey: "GET /b")]
        var stage = Stage(stageName: "dev")
        stage.deploymentId = "dep1"
        stage.routeSettings = routeSettings
        document.stages = [stage]
        return (document, ["dep1": DeploymentSnapshot(deploymentId: "dep1", of: document)])
    }

    @Test func aRecompiledRouteKeepsItsBucketUntilItsLimitChanges() throws {
        let registry = ThrottleBuckets()
        let compiler = DeploymentCompiler(
            configuration: .init(), metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"), throttleBuckets: registry)
        func bucket(_ settings: [String: RouteSettings], _ path: Substring) throws -> SharedTokenBucket? {
            let (document, snapshots) = Self.document(routeSettings: settings)
            let stage = try #require(compiler.compile(document, snapshots: snapshots).0.stages["dev"])
            return stage.router.match(method: "GET", path: path)?.value.throttle
        }
        let limited = ["GET /a": RouteSettings(throttlingBurstLimit: 1, throttlingRateLimit: 0.01)]
        let first = try #require(try bucket(limited, "/a"))
        #expect(first.take(now: 0))
        // The same limit after a recompilation: the same, empty bucket.
        let second = try #require(try bucket(limited, "/a"))
        #expect(second === first && !second.take(now: 1))
        // A new limit: a new, full bucket, and the old one is forgotten.
        let changed = try #require(try bucket(["GET /a": RouteSettings(throttlingBurstLimit: 2, throttlingRateLimit: 0.01)], "/a"))
        #expect(changed !== first && changed.take(now: 2))
        #expect(registry.count == 1)
        #expect(try bucket([:], "/a") == nil)
        #expect(registry.count == 0)
    }

    @Test func restStagesUseTheRegistryToo() throws {
        let registry = ThrottleBuckets()
        var compiler = RestDeploymentCompilerTests.compiler
        compiler.throttleBuckets = registry
        var document = RestDeploymentCompilerTests.document(integration: RestIntegration(type: "MOCK"))
        var stage = RestStage(stageName: "prod", deploymentId: "dep001", createdDate: nil)
        stage.methodSettings = ["*/*": StageThrottlesTests.setting(rate: 1, burst: 3)]
        document.stages = [stage]
        let snapshots = ["dep001": RestDeploymentSnapshot(deploymentId: "dep001", of: document)]
        let first = try #require(compiler.compile(document, snapshots: snapshots).0.stages["prod"]?.main.router.match(method: "GET", path: "/7")?.value.route.throttle)
        let again = try #require(compiler.compile(document, snapshots: snapshots).0.stages["prod"]?.main.router.match(method: "GET", path: "/7")?.value.route.throttle)
        #expect(first === again && registry.count == 1)
        registry.remove(apiId: document.restApi.id)
        #expect(registry.count == 0)
    }
}
