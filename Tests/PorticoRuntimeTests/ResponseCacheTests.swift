import Foundation
import PorticoModel
import PorticoObservability
import Testing

@testable import PorticoRuntime

/// The response cache: byte accounting, LRU eviction within the capacity, TTL with an injected clock, flushing,
/// and the registry's lifetime rules (a cache survives recompilation, not a resize or being turned off).
struct ResponseCacheTests {
    static let second: UInt64 = 1_000_000_000

    static func response(_ text: String, status: Int = 200) -> CachedResponse {
        CachedResponse(status: status, headers: [("content-type", "text/plain")], body: Array(text.utf8))
    }

    @Test func storedEntryIsServedUntilItsTtlEnds() {
        let cache = ResponseCache(capacityBytes: 10_000)
        let start: UInt64 = 1_000 * Self.second
        #expect(cache.store("k", Self.response("hello"), ttlNanos: 300 * Self.second, nowNanos: start))
        #expect(cache.lookup("k", nowNanos: start)?.body == Array("hello".utf8))
        #expect(cache.lookup("k", nowNanos: start + 300 * Self.second - 1)?.status == 200)
        // Expired at exactly the TTL, and dropped.
        #expect(cache.lookup("k", nowNanos: start + 300 * Self.second) == nil)
        #expect(cache.count == 0)
        #expect(cache.usedBytes == 0)
    }

    @Test func zeroTtlStoresNothing() {
        let cache = ResponseCache(capacityBytes: 10_000)
        #expect(!cache.store("k", Self.response("x"), ttlNanos: 0, nowNanos: 1))
        #expect(cache.lookup("k", nowNanos: 1) == nil)
    }

    @Test func chargedBytesCountKeyHeadersBodyAndOverhead() {
        let cache = ResponseCache(capacityBytes: 10_000)
        let response = Self.response("abcdef")
        let expected = ResponseCache.entryOverheadBytes + 3 + 6 + ResponseCache.headerOverheadBytes + "content-type".utf8.count
            + "text/plain".utf8.count
        #expect(ResponseCache.cost(key: "key", response) == expected)
        cache.store("key", response, ttlNanos: Self.second, nowNanos: 0)
        #expect(cache.usedBytes == expected)
        // Replacing an entry charges only the new one.
        cache.store("key", Self.response("abc"), ttlNanos: Self.second, nowNanos: 0)
        #expect(cache.usedBytes == expected - 3)
    }

    @Test func leastRecentlyUsedIsEvictedFirstAndCapacityHolds() {
        let body = String(repeating: "x", count: 100)
        let cost = ResponseCache.cost(key: "k0", Self.response(body))
        // Room for exactly three entries.
        let cache = ResponseCache(capacityBytes: cost * 3 + cost / 2)
        let ttl = 60 * Self.second
        for index in 0..<3 { #expect(cache.store("k\(index)", Self.response(body), ttlNanos: ttl, nowNanos: 0)) }
        // Touch k0: k1 becomes the least recently used.
        #expect(cache.lookup("k0", nowNanos: 1) != nil)
        #expect(cache.store("k3", Self.response(body), ttlNanos: ttl, nowNanos: 2))
        #expect(cache.lookup("k1", nowNanos: 3) == nil)
        #expect(cache.lookup("k0", nowNanos: 3) != nil)
        #expect(cache.lookup("k2", nowNanos: 3) != nil)
        #expect(cache.lookup("k3", nowNanos: 3) != nil)
        #expect(cache.count == 3)
        #expect(cache.usedBytes <= cache.capacityBytes)
        // Many more stores never pass the capacity.
        for index in 4..<500 {
            cache.store("k\(index)", Self.response(body), ttlNanos: ttl, nowNanos: 4)
            #expect(cache.usedBytes <= cache.capacityBytes)
        }
        #expect(cache.count == 3)
        #expect(cache.lookup("k499", nowNanos: 5) != nil)
    }

    @Test func entryLargerThanTheCacheOrAwsLimitIsNotStored() {
        let small = ResponseCache(capacityBytes: 200)
        #expect(!small.store("k", Self.response(String(repeating: "y", count: 300)), ttlNanos: Self.second, nowNanos: 0))
        #expect(small.count == 0)
        let large = ResponseCache(capacityBytes: 64 << 20)
        let over = CachedResponse(status: 200, headers: [], body: [UInt8](repeating: 1, count: ResponseCache.maxBodyBytes + 1))
        #expect(!large.store("k", over, ttlNanos: Self.second, nowNanos: 0))
        let limit = CachedResponse(status: 200, headers: [], body: [UInt8](repeating: 1, count: ResponseCache.maxBodyBytes))
        #expect(large.store("k", limit, ttlNanos: Self.second, nowNanos: 0))
    }

    @Test func shardedCacheKeepsItsTotalWithinCapacity() {
        let cache = ResponseCache(capacityBytes: 64 << 20)
        let body = String(repeating: "z", count: 50_000)
        for index in 0..<3_000 {
            cache.store("key-\(index)", Self.response(body), ttlNanos: 60 * Self.second, nowNanos: 0)
        }
        #expect(cache.usedBytes <= 64 << 20)
        #expect(cache.usedBytes > (64 << 20) / 2)
    }

    @Test func invalidateAndRemoveAllEmpty() {
        let cache = ResponseCache(capacityBytes: 10_000)
        cache.store("a", Self.response("1"), ttlNanos: Self.second, nowNanos: 0)
        cache.store("b", Self.response("2"), ttlNanos: Self.second, nowNanos: 0)
        cache.invalidate("a")
        #expect(cache.lookup("a", nowNanos: 0) == nil)
        #expect(cache.lookup("b", nowNanos: 0) != nil)
        cache.removeAll()
        #expect(cache.count == 0 && cache.usedBytes == 0)
        // Usable after a flush.
        cache.store("c", Self.response("3"), ttlNanos: Self.second, nowNanos: 0)
        #expect(cache.lookup("c", nowNanos: 0) != nil)
    }

    @Test func concurrentUseStaysConsistent() async {
        let cache = ResponseCache(capacityBytes: 20_000)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<2_000 {
                        let key = "k\((worker * 31 + index) % 300)"
                        if cache.lookup(key, nowNanos: 0) == nil {
                            cache.store(key, Self.response("value \(index)"), ttlNanos: Self.second, nowNanos: 0)
                        }
                    }
                }
            }
        }
        #expect(cache.usedBytes <= 20_000)
        #expect(cache.usedBytes > 0)
    }

    @Test func keysSeparateParametersAndAbsentValues() {
        let metrics = MetricsRegistry()
        let (hits, misses) = MethodCachePolicy.counters(metrics, apiId: "a", stage: "s", route: "GET /x")
        let policy = MethodCachePolicy(
            ttlSeconds: 300, namespace: "res1", keyParameters: [.query("type"), .header("accept")], requireAuthorization: true,
            unauthorizedStrategy: .succeedWithResponseHeader, hits: hits, misses: misses)
        func key(_ type: String?, _ accept: String?) -> String {
            policy.key(method: "GET", path: "/x") { parameter in
                switch parameter {
                case .query: type
                case .header: accept
                default: nil
                }
            }
        }
        #expect(key("a", "b") == key("a", "b"))
        #expect(key("a", "b") != key("ab", nil))
        #expect(key("", nil) != key(nil, nil))
        #expect(key("a:1", nil) != key("a", ":1"))
        #expect(policy.key(method: "POST", path: "/x") { _ in "a" } != policy.key(method: "GET", path: "/x") { _ in "a" })
        #expect(MethodCachePolicy.asksToInvalidate("no-cache, Max-Age=0"))
        #expect(!MethodCachePolicy.asksToInvalidate("max-age=00"))
        #expect(!MethodCachePolicy.asksToInvalidate("max-age=10"))
        #expect(CacheKeyParameter(methodRequest: "method.request.header.Accept") == .header("accept"))
        #expect(CacheKeyParameter(methodRequest: "method.request.path.id") == .path("id"))
        #expect(CacheKeyParameter(methodRequest: "method.request.body.x") == nil)
    }

    @Test func registryKeepsACacheUntilItsSizeChangesOrItIsTurnedOff() {
        let caches = ResponseCaches(maxBytesPerStage: 1 << 20)
        #expect(caches.capacityBytes(clusterSize: "0.5") == 1 << 20)
        #expect(ResponseCaches(maxBytesPerStage: 1 << 40).capacityBytes(clusterSize: "1.6") == Int(1.6 * Double(1 << 30)))
        let first = caches.cache(apiId: "api", stage: "prod", clusterSize: "0.5")
        first.store("k", Self.response("v"), ttlNanos: Self.second, nowNanos: 0)
        // A recompilation with the same capacity keeps the cache and its entries.
        #expect(caches.cache(apiId: "api", stage: "prod", clusterSize: "0.5") === first)
        #expect(caches.flushResponses(apiId: "api", stage: "prod"))
        #expect(first.count == 0)
        // Resizing makes a new, empty cache, even when the bound keeps the capacity the same.
        let resized = caches.cache(apiId: "api", stage: "prod", clusterSize: "1.6")
        #expect(resized.capacityBytes == first.capacityBytes)
        #expect(resized !== first)
        // Turning it off forgets it: turned on again, it starts empty.
        resized.store("k", Self.response("v"), ttlNanos: Self.second, nowNanos: 0)
        caches.retain(apiId: "api", stages: [])
        #expect(caches.existingCache(apiId: "api", stage: "prod") == nil)
        #expect(caches.cache(apiId: "api", stage: "prod", clusterSize: "1.6") !== resized)
        #expect(!caches.flushResponses(apiId: "api", stage: "other"))
    }

    @Test func compilerAppliesStageWideSettingsToGetOnlyAndKeepsTheCacheAcrossRedeploys() throws {
        var compiler = RestDeploymentCompiler(metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))
        compiler.responseCaches = ResponseCaches(maxBytesPerStage: 1 << 20)
        var document = RestApiDocument(
            restApi: RestApi(id: "api1", name: "cached", rootResourceId: "root", createdDate: nil),
            root: RestResource(id: "root", parentId: nil, pathPart: nil, path: "/"), models: [])
        var resource = RestResource(id: "res1", parentId: "root", pathPart: "items", path: "/items")
        var get = RestMethod(httpMethod: "GET", authorizationType: "NONE")
        var integration = RestIntegration(type: "MOCK")
        integration.cacheKeyParameters = ["method.request.querystring.type"]
        get.methodIntegration = integration
        var post = RestMethod(httpMethod: "POST", authorizationType: "NONE")
        post.methodIntegration = RestIntegration(type: "MOCK")
        resource.resourceMethods = ["GET": get, "POST": post]
        document.resources.append(resource)
        var stage = RestStage(stageName: "prod", deploymentId: "d1", createdDate: nil)
        stage.cacheClusterEnabled = true
        stage.cacheClusterSize = "0.5"
        var setting = MethodSetting()
        setting.cachingEnabled = true
        setting.cacheTtlInSeconds = 60
        stage.methodSettings["*/*"] = setting
        document.stages = [stage]
        let snapshot = RestDeploymentSnapshot(deploymentId: "d1", of: document)
        let (api, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        let prod = try #require(api.stages["prod"])
        let cache = try #require(prod.cache)
        #expect(cache.capacityBytes == 1 << 20)
        let getMethod = try #require(prod.main.router.match(method: "GET", path: "/items")?.value)
        let postMethod = try #require(prod.main.router.match(method: "POST", path: "/items")?.value)
        #expect(getMethod.caching?.ttlNanos == 60 * Self.second)
        #expect(getMethod.caching?.namespace == "res1")
        #expect(getMethod.caching?.keyParameters == [.query("type")])
        #expect(postMethod.caching == nil)
        // A recompilation (a redeploy) keeps the same cache.
        let (again, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        #expect(again.stages["prod"]?.cache === cache)
        // A per-method override turns POST on.
        document.stages[0].methodSettings["items/POST"] = setting
        let (withPost, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        #expect(withPost.stages["prod"]?.main.router.match(method: "POST", path: "/items")?.value.caching != nil)
        // A canary uses the stage's cache only with useStageCache.
        document.stages[0].canarySettings = CanarySettings(percentTraffic: 50, deploymentId: "d1", useStageCache: false)
        let (noCanaryCache, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        let canaryStage = try #require(noCanaryCache.stages["prod"])
        let canary = try #require(canaryStage.canary?.deployment)
        #expect(canaryStage.cache(for: canary) == nil)
        #expect(canaryStage.cache(for: canaryStage.main) === cache)
        document.stages[0].canarySettings?.useStageCache = true
        let (sharedCanary, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        let sharedStage = try #require(sharedCanary.stages["prod"])
        let sharedDeployment = try #require(sharedStage.canary?.deployment)
        #expect(sharedStage.cache(for: sharedDeployment) === cache)
        document.stages[0].canarySettings = nil
        // Cache cluster off: no cache, no policies.
        document.stages[0].cacheClusterEnabled = false
        let (off, _) = compiler.compile(document, snapshots: ["d1": snapshot])
        #expect(off.stages["prod"]?.cache == nil)
        #expect(off.stages["prod"]?.main.router.match(method: "GET", path: "/items")?.value.caching == nil)
    }

    @Test func flushingAStagesAuthorizersEmptiesTheirResultCaches() throws {
        var compiler = RestDeploymentCompiler(metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))
        compiler.responseCaches = ResponseCaches()
        var document = RestApiDocument(
            restApi: RestApi(id: "api2", name: "auth", rootResourceId: "root", createdDate: nil),
            root: RestResource(id: "root", parentId: nil, pathPart: nil, path: "/"), models: [])
        var authorizer = RestAuthorizer(id: "auth1", name: "tokens", type: "TOKEN")
        authorizer.authorizerUri =
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations"
        authorizer.identitySource = "method.request.header.Authorization"
        authorizer.authorizerResultTtlInSeconds = 300
        document.authorizers = [authorizer]
        var resource = RestResource(id: "res1", parentId: "root", pathPart: "items", path: "/items")
        var get = RestMethod(httpMethod: "GET", authorizationType: "CUSTOM")
        get.authorizerId = "auth1"
        get.methodIntegration = RestIntegration(type: "MOCK")
        resource.resourceMethods = ["GET": get]
        document.resources.append(resource)
        document.stages = [RestStage(stageName: "prod", deploymentId: "d1", createdDate: nil)]
        let (api, _) = compiler.compile(document, snapshots: ["d1": RestDeploymentSnapshot(deploymentId: "d1", of: document)])
        let cache = try #require(api.stages["prod"]?.main.router.match(method: "GET", path: "/items")?.value.authorizer?.cache)
        let policy = AuthorizerPolicy(principalId: "me", statements: [])
        cache.store(policy, for: "token")
        #expect(cache.value(for: "token") != nil)
        compiler.responseCaches.flushAuthorizers(apiId: "api2", stage: "other")
        #expect(cache.value(for: "token") != nil)
        compiler.responseCaches.flushAuthorizers(apiId: "api2", stage: "prod")
        #expect(cache.value(for: "token") == nil)
    }
}
