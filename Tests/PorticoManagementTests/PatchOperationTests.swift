import PorticoModel
import Testing

@testable import PorticoManagement

struct PatchOperationTests {
    func read(_ json: String, input: String = "updateRestApiInput") throws(APIError) -> [PatchOperation] {
        try PatchOperation.read(try JSONBody(bytes: Array(json.utf8)), input: input)
    }

    @Test func jsonPointerEscapesAreDecoded() {
        #expect(PatchOperation.segments(of: "/requestTemplates/application~1json") == ["requestTemplates", "application/json"])
        #expect(PatchOperation.segments(of: "/~1items/GET/logging/loglevel") == ["/items", "GET", "logging", "loglevel"])
        // `~01` is `~1` literally: `~1` is decoded before `~0` (RFC 6901).
        #expect(PatchOperation.segments(of: "/variables/a~01b") == ["variables", "a~1b"])
        #expect(PatchOperation.segments(of: nil) == [])
    }

    @Test func unknownOpsAreOneValidationExceptionAsAWSWordsIt() {
        #expect(
            throws: APIError.validation(
                "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'bad' at 'updateRestApiInput.patchOperations.3.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]"
            )
        ) {
            try read(#"{"patchOperations":[{"op":"wrong","path":"/a"},{"op":"replace","path":"/name","value":"x"},{"op":"bad"}]}"#)
        }
        #expect(throws: Never.self) { try read(#"{"patchOperations":[{"op":"copy","path":"/deploymentId","from":"/canarySettings/deploymentId"}]}"#) }
    }

    @Test func restApiPatchPathsAndMessages() throws {
        var api = RestApi(id: "abcdefghij", name: "n", rootResourceId: "r", createdDate: nil)
        for operation in try read(
            #"{"patchOperations":[{"op":"replace","path":"/name","value":"renamed"},{"op":"add","path":"/binaryMediaTypes/image~1png"},{"op":"add","path":"/binaryMediaTypes/image~1jpeg"},{"op":"replace","path":"/binaryMediaTypes/image~1png","value":"image/gif"},{"op":"replace","path":"/minimumCompressionSize","value":"10"},{"op":"replace","path":"/disableExecuteApiEndpoint","value":"True"}]}"#
        ) {
            try RestApiPatch.apply(operation, to: &api)
        }
        #expect(api.name == "renamed")
        // AWS puts a replaced media type last.
        #expect(api.binaryMediaTypes == ["image/jpeg", "image/gif"])
        #expect(api.minimumCompressionSize == 10 && api.disableExecuteApiEndpoint == true)

        #expect(throws: APIError.badRequest("Invalid patch path /binaryMediaTypes")) {
            try RestApiPatch.apply(PatchOperation(op: .add, path: "/binaryMediaTypes", value: "x"), to: &api)
        }
        #expect(throws: APIError.badRequest("Invalid patch operation specified. Must be one of: [replace]")) {
            try RestApiPatch.apply(PatchOperation(op: .add, path: "/name", value: "x"), to: &api)
        }
        #expect(throws: APIError.badRequest("Invalid minimum compression size, must be between 0 and 10485760")) {
            try RestApiPatch.apply(PatchOperation(op: .replace, path: "/minimumCompressionSize", value: "-1"), to: &api)
        }
        try RestApiPatch.apply(PatchOperation(op: .replace, path: "/minimumCompressionSize", value: ""), to: &api)
        #expect(api.minimumCompressionSize == nil)
    }

    @Test func mapEntriesAddReplaceRemove() throws {
        var map: [String: String]? = nil
        try PatchMap.apply(PatchOperation(op: .add, path: "/x/a", value: "1"), key: "a", to: &map)
        try PatchMap.apply(PatchOperation(op: .replace, path: "/x/a", value: "2"), key: "a", to: &map)
        #expect(map == ["a": "2"])
        #expect(throws: RestMessages.parameterNotFound) {
            try PatchMap.apply(PatchOperation(op: .remove, path: "/x/b"), key: "b", to: &map, missing: RestMessages.parameterNotFound)
        }
        try PatchMap.apply(PatchOperation(op: .remove, path: "/x/a"), key: "a", to: &map)
        #expect(map == [:])
    }

    @Test func stageMethodSettingsAcceptEscapedAndPlainResourcePaths() throws {
        let document = RestApiModelTestsSupport.document()
        var stage = RestStage(stageName: "prod", deploymentId: nil, createdDate: nil)
        let operations = [
            PatchOperation(op: .replace, path: "/*/*/throttling/rateLimit", value: "100"),
            PatchOperation(op: .replace, path: "/*/*/metrics/enabled", value: "true"),
            PatchOperation(op: .replace, path: "/~1items/GET/logging/loglevel", value: "INFO"),
            PatchOperation(op: .replace, path: "/pets/{id}/POST/caching/enabled", value: "true"),
            PatchOperation(op: .replace, path: "/*/*/caching/enabled", value: "true"),
        ]
        for operation in operations { try RestStagePatch.apply(operation, to: &stage, in: document) }
        #expect(stage.methodSettings["*/*"]?.throttlingRateLimit == 100)
        #expect(stage.methodSettings["*/*"]?.metricsEnabled == true && stage.methodSettings["*/*"]?.cachingEnabled == true)
        #expect(stage.methodSettings["items/GET"]?.loggingLevel == "INFO")
        #expect(stage.methodSettings["items/GET"]?.throttlingBurstLimit == 5000)
        #expect(stage.methodSettings["pets/{id}/POST"]?.cachingEnabled == true)
        try RestStagePatch.apply(PatchOperation(op: .remove, path: "/~1items/GET"), to: &stage, in: document)
        #expect(stage.methodSettings["items/GET"] == nil)

        let bad = PatchOperation(op: .replace, path: "/*/*/throttling/nonsense", value: "1")
        #expect(throws: RestStagePatch.invalidMethodSettingPath(bad)) { try RestStagePatch.apply(bad, to: &stage, in: document) }
        let message = RestStagePatch.invalidMethodSettingPath(bad).message
        #expect(message.hasPrefix("Invalid method setting path: /*/*/throttling/nonsense. Must be one of: [/deploymentId, /description,"))
        #expect(message.contains("/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/"))
        #expect(message.contains("/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds"))
    }

    @Test func stageVariablesCanaryAndPromotion() throws {
        var document = RestApiModelTestsSupport.document()
        document.deployments = [RestDeployment(id: "dep001", description: nil, createdDate: nil), RestDeployment(id: "dep002", description: nil, createdDate: nil)]
        var stage = RestStage(stageName: "prod", deploymentId: "dep001", createdDate: nil)
        let operations = [
            PatchOperation(op: .replace, path: "/variables/color", value: "blue"),
            PatchOperation(op: .replace, path: "/canarySettings/percentTraffic", value: "12.5"),
            PatchOperation(op: .replace, path: "/canarySettings/deploymentId", value: "dep002"),
            PatchOperation(op: .add, path: "/canarySettings/stageVariableOverrides/color", value: "green"),
        ]
        for operation in operations { try RestStagePatch.apply(operation, to: &stage, in: document) }
        #expect(stage.variables == ["color": "blue"])
        #expect(stage.canarySettings == CanarySettings(percentTraffic: 12.5, deploymentId: "dep002", stageVariableOverrides: ["color": "green"], useStageCache: false))
        try RestStagePatch.apply(PatchOperation(op: .copy, path: "/deploymentId", from: "/canarySettings/deploymentId"), to: &stage, in: document)
        try RestStagePatch.apply(PatchOperation(op: .copy, path: "/variables", from: "/canarySettings/stageVariableOverrides"), to: &stage, in: document)
        #expect(stage.deploymentId == "dep002" && stage.variables == ["color": "green"])
        try RestStagePatch.apply(PatchOperation(op: .remove, path: "/canarySettings"), to: &stage, in: document)
        #expect(stage.canarySettings == nil)
        #expect(throws: RestMessages.deploymentIdDoesNotExist) {
            try RestStagePatch.apply(PatchOperation(op: .replace, path: "/deploymentId", value: "nope00"), to: &stage, in: document)
        }
    }
}

extension PatchOperationTests {
    /// AWS's answers recorded in LocalStack's `test_apigateway_canary.snapshot.json`, word for word.
    @Test func canaryPatchRefusalsAsRecorded() throws {
        let document = RestApiModelTestsSupport.document()
        var stage = RestStage(stageName: "dev", deploymentId: "dep001", createdDate: nil)
        #expect(
            throws: APIError.badRequest(
                "Cannot remove method setting canarySettings/stageVariableOverrides because there is no method setting for this method ")
        ) {
            try RestStagePatch.apply(PatchOperation(op: .remove, path: "/canarySettings/stageVariableOverrides"), to: &stage, in: document)
        }
        #expect(throws: APIError.badRequest("Invalid add operation with path: /canarySettings/deploymentId")) {
            try RestStagePatch.apply(PatchOperation(op: .add, path: "/canarySettings/deploymentId", value: "dep001"), to: &stage, in: document)
        }
        let recorded =
            "Invalid method setting path: /canarySettings/badPath. Must be one of: [/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]"
        #expect(throws: APIError.badRequest(recorded)) {
            try RestStagePatch.apply(PatchOperation(op: .replace, path: "/canarySettings/badPath", value: "x"), to: &stage, in: document)
        }
        // Recorded: a canary set up by patch starts on the stage's deployment with no traffic.
        try RestStagePatch.apply(PatchOperation(op: .replace, path: "/canarySettings/percentTraffic", value: "50"), to: &stage, in: document)
        #expect(stage.canarySettings == CanarySettings(percentTraffic: 50, deploymentId: "dep001", useStageCache: false))
    }
}

/// A small REST API document for the patch tests.
enum RestApiModelTestsSupport {
    static func document() -> RestApiDocument {
        let root = RestResource(id: "root000000", parentId: nil, pathPart: nil, path: "/")
        return RestApiDocument(
            restApi: RestApi(id: "abcdefghij", name: "t", rootResourceId: root.id, createdDate: nil), root: root,
            models: RestModel.defaults(ids: ("m1", "m2")))
    }
}
