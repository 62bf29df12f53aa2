import Crypto
import Foundation
import PorticoModel
import Testing

@testable import PorticoManagement

/// CreateFunction, Get*, ListFunctions, the updates and DeleteFunction, in process.
struct LambdaFunctionOperationTests {
    static let arnPrefix = "arn:aws:lambda:us-east-1:000000000000:function:"

    @Test func createAnswersTheConfigurationAndFeedsTheHost() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        let zip = try TestZip.make([TestZip.file("bootstrap", "#!/bin/sh\n", mode: 0o755)])
        let reply = try await harness.create(
            "echo", zip: zip,
            ["Runtime": "provided.al2023", "Handler": "unused", "Environment": ["Variables": ["STAGE": "dev"]],
             "Description": "an echo", "Tags": ["team": "gw"]])
        #expect(reply.status == 201)
        let json = reply.json
        #expect(json["FunctionName"] as? String == "echo")
        #expect(json["FunctionArn"] as? String == Self.arnPrefix + "echo")
        #expect(json["Runtime"] as? String == "provided.al2023")
        #expect(json["Role"] as? String == LambdaHarness.role)
        #expect(json["Timeout"] as? Int == 3)
        #expect(json["MemorySize"] as? Int == 128)
        #expect(json["Version"] as? String == "$LATEST")
        #expect(json["State"] as? String == "Active")
        #expect(json["LastUpdateStatus"] as? String == "Successful")
        #expect(json["PackageType"] as? String == "Zip")
        #expect(json["Architectures"] as? [String] == ["x86_64"])
        #expect(json["CodeSize"] as? Int == zip.count)
        #expect(json["CodeSha256"] as? String == Data(SHA256.hash(data: zip)).base64EncodedString())
        #expect((json["Environment"] as? [String: Any])?["Variables"] as? [String: String] == ["STAGE": "dev"])
        let lastModified = try #require(json["LastModified"] as? String)
        #expect(lastModified.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000/) != nil)

        let hosted = try #require(harness.host.functions["echo"])
        #expect(hosted.runtime == "provided.al2023")
        #expect(hosted.environment == ["STAGE": "dev"])
        #expect(hosted.arn == Self.arnPrefix + "echo")
        #expect(hosted.timeoutSeconds == 3)
        let bootstrap = hosted.codeDirectory + "/bootstrap"
        #expect(FileManager.default.isExecutableFile(atPath: bootstrap))
        #expect(hosted.codeDirectory.hasPrefix(harness.codeRoot + "/echo/"))
    }

    @Test func getFunctionShowsConfigurationCodeAndTags() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn", ["Tags": ["a": "b"]])
        let reply = try await harness.call("GET", "/2015-03-31/functions/fn", headers: [("Host", "127.0.0.1:4566")])
        #expect(reply.status == 200)
        #expect(reply.configuration["FunctionName"] as? String == "fn")
        #expect(reply.json["Tags"] as? [String: String] == ["a": "b"])
        let code = try #require(reply.json["Code"] as? [String: String])
        #expect(code["RepositoryType"] == "S3")
        let location = try #require(code["Location"])
        #expect(location.hasPrefix("http://127.0.0.1:4566/_portico/lambda/code/fn/"))

        // The location serves the very zip that was uploaded.
        let path = String(location.dropFirst("http://127.0.0.1:4566".count))
        let download = try await harness.call("GET", path)
        #expect(download.status == 200)
        #expect(Data(download.body) == (try LambdaHarness.pythonZip()))

        let byArn = try await harness.call("GET", "/2015-03-31/functions/\(Self.arnPrefix)fn/configuration")
        #expect(byArn.json["FunctionName"] as? String == "fn")
        let partial = try await harness.call("GET", "/2015-03-31/functions/000000000000:function:fn:$LATEST")
        #expect(partial.status == 200)
    }

    @Test func duplicateCreateIsAConflict() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("twice")
        let reply = try await harness.create("twice")
        #expect(reply.status == 409)
        #expect(reply.errorType == "ResourceConflictException")
        #expect(reply.json["Type"] as? String == "User")
        #expect(reply.message == "Function already exist: twice")
        #expect(harness.host.upserts.count == 1)
    }

    @Test(arguments: [
        (["Runtime": "cobol85"], "InvalidParameterValueException", "Value cobol85 at 'runtime' failed to satisfy constraint"),
        (["Runtime": "nodejs20.x"], "InvalidParameterValueException", "The runtime parameter of nodejs20.x is not supported by Portico"),
        (["Timeout": 1000], "ValidationException",
         "1 validation error detected: Value '1000' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"),
        (["Timeout": 0, "MemorySize": 64], "ValidationException", "2 validation errors detected: Value '0' at 'timeout'"),
        (["MemorySize": 20000], "ValidationException", "Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"),
        (["Role": "not-a-role"], "ValidationException", "Value 'not-a-role' at 'role' failed to satisfy constraint"),
        (["FunctionName": "bad name!"], "InvalidParameterValueException", "Value 'bad name!' at 'functionName' failed to satisfy constraint"),
        (["Environment": ["Variables": ["AWS_REGION": "x"]]], "InvalidParameterValueException", "Reserved keys used in this request: AWS_REGION"),
        (["Environment": ["Variables": ["my-var": "x"]]], "ValidationException", "Map keys must satisfy constraint"),
        (["Layers": ["arn:aws:lambda:us-east-1:000000000000:layer:deps:1"]], "InvalidParameterValueException", "does not support Lambda layers"),
        (["Architectures": ["sparc"]], "ValidationException", "at 'architectures' failed to satisfy constraint"),
        (["Environment": ["Variables": ["BIG": String(repeating: "x", count: 5000)]]], "InvalidParameterValueException", "exceeded the 4KB limit"),
        (["Code": ["ZipFile": Data("garbage".utf8).base64EncodedString()]], "InvalidParameterValueException",
         "Could not unzip uploaded file. Please check your file, then try to upload again."),
        (["Code": ["S3Bucket": "b", "S3Key": "k"]], "InvalidParameterValueException", "Code.ZipFile"),
    ] as [([String: any Sendable], String, String)])
    func createIsValidatedAsLambdaDoes(_ extra: [String: any Sendable], _ type: String, _ message: String) async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        let reply = try await harness.create("checked", extra)
        #expect(reply.status == 400)
        #expect(reply.errorType == type)
        #expect(reply.message?.contains(message) == true, "\(reply.message ?? "no message")")
        #expect(harness.host.upserts.isEmpty)
        // A refused create leaves no code behind.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: harness.codeRoot + "/checked")) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func aZipFunctionNeedsRuntimeAndHandler() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        let body: [String: Any] = [
            "FunctionName": "bare", "Role": LambdaHarness.role, "Runtime": "python3.12",
            "Code": ["ZipFile": try LambdaHarness.pythonZip().base64EncodedString()],
        ]
        let reply = try await harness.call("POST", "/2015-03-31/functions", json: body)
        #expect(reply.errorType == "InvalidParameterValueException")
        #expect(reply.message == "Runtime and Handler are mandatory parameters for functions created with deployment packages.")
    }

    @Test func unknownFunctionIsNotFoundWithItsArn() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        for (method, path) in [
            ("GET", "/2015-03-31/functions/nope"), ("GET", "/2015-03-31/functions/nope/configuration"),
            ("DELETE", "/2015-03-31/functions/nope"), ("PUT", "/2015-03-31/functions/nope/configuration"),
            ("GET", "/2015-03-31/functions/nope/policy"), ("POST", "/2015-03-31/functions/nope/invocations"),
        ] {
            let reply = try await harness.call(method, path, json: [:])
            #expect(reply.status == 404, "\(method) \(path)")
            #expect(reply.errorType == "ResourceNotFoundException")
            #expect(reply.json["Message"] as? String == "Function not found: \(Self.arnPrefix)nope")
            #expect(reply.json["Type"] as? String == "User")
        }
        try await harness.create("exists")
        let versioned = try await harness.call("GET", "/2015-03-31/functions/exists?Qualifier=3")
        #expect(versioned.status == 404)
        #expect(versioned.message == "Function not found: \(Self.arnPrefix)exists:3")
    }

    @Test func listFunctionsPagesWithMarkers() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        for name in ["c", "a", "b"] { try await harness.create(name) }
        let first = try await harness.call("GET", "/2015-03-31/functions/?MaxItems=2")
        let names = (first.json["Functions"] as? [[String: Any]])?.compactMap { $0["FunctionName"] as? String }
        #expect(names == ["a", "b"])
        let marker = try #require(first.json["NextMarker"] as? String)
        #expect((first.json["Functions"] as? [[String: Any]])?.first?["State"] == nil)
        let second = try await harness.call("GET", "/2015-03-31/functions/?MaxItems=2&Marker=\(marker)")
        #expect((second.json["Functions"] as? [[String: Any]])?.compactMap { $0["FunctionName"] as? String } == ["c"])
        #expect(second.json["NextMarker"] == nil)
        let all = try await harness.call("GET", "/2015-03-31/functions/")
        #expect((all.json["Functions"] as? [[String: Any]])?.count == 3)
        let bad = try await harness.call("GET", "/2015-03-31/functions/?Marker=garbage")
        #expect(bad.errorType == "InvalidParameterValueException")
    }

    @Test func updateCodeChangesTheDigestAndTheHostRevision() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        let created = try await harness.create("fn")
        let firstRevision = try #require(harness.host.functions["fn"]?.revision)
        let firstDirectory = try #require(harness.host.functions["fn"]?.codeDirectory)
        let newZip = try TestZip.make([TestZip.file("app.py", "def handler(e, c):\n    return 2\n")])
        let reply = try await harness.call(
            "PUT", "/2015-03-31/functions/fn/code", json: ["ZipFile": newZip.base64EncodedString()])
        #expect(reply.status == 200)
        #expect(reply.json["CodeSha256"] as? String == Data(SHA256.hash(data: newZip)).base64EncodedString())
        #expect(reply.json["RevisionId"] as? String != created.json["RevisionId"] as? String)
        let hosted = try #require(harness.host.functions["fn"])
        #expect(hosted.revision != firstRevision)
        #expect(hosted.codeDirectory != firstDirectory)
        #expect(FileManager.default.contents(atPath: hosted.codeDirectory + "/app.py") == Data("def handler(e, c):\n    return 2\n".utf8))
        // The previous package stays for invocations still running it.
        #expect(FileManager.default.fileExists(atPath: firstDirectory))

        let stale = try await harness.call(
            "PUT", "/2015-03-31/functions/fn/code", json: ["ZipFile": newZip.base64EncodedString(), "RevisionId": "old"])
        #expect(stale.status == 412)
        #expect(stale.errorType == "PreconditionFailedException")
        let bad = try await harness.call("PUT", "/2015-03-31/functions/fn/code", json: ["ZipFile": "AAAA"])
        #expect(bad.message == "Could not unzip uploaded file. Please check your file, then try to upload again.")
        #expect(harness.host.functions["fn"]?.revision == hosted.revision)
    }

    @Test func updateConfigurationChangesOnlyWhatIsGiven() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("fn", ["Environment": ["Variables": ["ALPHA": "1"]], "Description": "keep"])
        let revision = harness.host.functions["fn"]?.revision
        let reply = try await harness.call(
            "PUT", "/2015-03-31/functions/fn/configuration",
            json: ["Timeout": 30, "MemorySize": 512, "Environment": ["Variables": ["BETA": "2"]], "Handler": "app.other"])
        #expect(reply.status == 200)
        #expect(reply.json["Timeout"] as? Int == 30)
        #expect(reply.json["MemorySize"] as? Int == 512)
        #expect(reply.json["Handler"] as? String == "app.other")
        #expect(reply.json["Description"] as? String == "keep")
        let hosted = try #require(harness.host.functions["fn"])
        #expect(hosted.environment == ["BETA": "2"])
        #expect(hosted.timeoutSeconds == 30)
        #expect(hosted.memorySizeMB == 512)
        #expect(hosted.revision != revision)

        let cleared = try await harness.call("PUT", "/2015-03-31/functions/fn/configuration", json: ["Environment": [:]])
        #expect(cleared.json["Environment"] == nil)
        let bad = try await harness.call("PUT", "/2015-03-31/functions/fn/configuration", json: ["Timeout": 901])
        #expect(bad.errorType == "ValidationException")
    }

    @Test func deleteRemovesFunctionCodeAndHostEntry() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("gone")
        let reply = try await harness.call("DELETE", "/2015-03-31/functions/gone")
        #expect(reply.status == 204)
        #expect(harness.host.removed == ["gone"])
        #expect(!FileManager.default.fileExists(atPath: harness.codeRoot + "/gone"))
        #expect(try await harness.call("GET", "/2015-03-31/functions/gone").status == 404)
        // The name is free again.
        #expect(try await harness.create("gone").status == 201)
    }

    @Test func resetForgetsFunctionsInTheHostToo() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("one")
        try await harness.call("POST", "/_portico/reset")
        #expect(harness.host.removed == ["one"])
        #expect(!FileManager.default.fileExists(atPath: harness.codeRoot + "/one"))
    }

    @Test func startUpFeedsEveryStoredFunction() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("a")
        try await harness.create("b")
        let fresh = InProcessFunctionHost()
        let count = try await FunctionHostFeed.upsertAll(
            from: harness.store, into: fresh, configuration: harness.responder.configuration)
        #expect(count == 2)
        #expect(fresh.functions.keys.sorted() == ["a", "b"])
        #expect(fresh.functions["a"]?.revision == harness.host.functions["a"]?.revision)
    }

    @Test func startUpClearsCodeNoStoredFunctionUses() async throws {
        let harness = try LambdaHarness()
        defer { harness.cleanUp() }
        try await harness.create("kept")
        let current = try #require(harness.host.functions["kept"]?.codeDirectory)
        let manager = FileManager.default
        for leftover in ["/orphan/abc", "/kept/.staging-1", "/kept/0123"] {
            try manager.createDirectory(atPath: harness.codeRoot + leftover, withIntermediateDirectories: true)
        }
        try await FunctionHostFeed.upsertAll(from: harness.store, into: InProcessFunctionHost(), configuration: harness.responder.configuration)
        #expect(try manager.contentsOfDirectory(atPath: harness.codeRoot) == ["kept"])
        #expect(try manager.contentsOfDirectory(atPath: harness.codeRoot + "/kept").sorted()
            == [(current as NSString).lastPathComponent, (current as NSString).lastPathComponent + ".zip"].sorted())
    }
}
