import PorticoModel
import PorticoObservability
import Testing

@testable import PorticoRuntime

/// The Lambda integration URI forms AWS accepts, and the compilers' use of them.
struct LambdaTargetTests {
    @Test func functionArnAndInvocationUri() throws {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:my-fn"
        #expect(try LambdaTarget(uri: arn) == LambdaTarget(functionName: arn, region: "us-east-1"))
        let wrapped = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/\(arn)/invocations"
        #expect(try LambdaTarget(uri: wrapped) == LambdaTarget(functionName: arn, region: "us-east-1"))
        let qualified = "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live"
        #expect(try LambdaTarget(uri: qualified).functionName == qualified)
    }

    @Test(arguments: [
        "https://example.com", "arn:aws:lambda:us-east-1:123:layer:x", "arn:aws:apigateway:us-east-1:s3:path/bucket/key",
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/not-an-arn/invocations", "",
    ])
    func refused(_ uri: String) {
        #expect(throws: APIError.self) { try LambdaTarget(uri: uri) }
    }
}

extension LambdaTargetTests {
    /// REST `AWS_PROXY`/`AWS` compile to Lambda kinds, with stage variables substituted in the URI.
    @Test func restCompilerResolvesLambdaIntegrations() {
        for type in ["AWS_PROXY", "AWS"] {
            var integration = RestIntegration(type: type)
            integration.httpMethod = "POST"
            integration.uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"
            let (api, _) = RestDeploymentCompilerTests.compile(RestDeploymentCompilerTests.document(integration: integration), variables: ["fn": "orders"])
            let kind = api.stages["prod"]?.main.router.match(method: "GET", path: "/1")?.value.integration.kind
            let expected = LambdaTarget(functionName: "arn:aws:lambda:us-east-1:123456789012:function:orders", region: "us-east-1")
            switch kind {
            case .lambdaProxy(let target)? where type == "AWS_PROXY": #expect(target == expected)
            case .lambda(let target)? where type == "AWS": #expect(target == expected)
            default: Issue.record("\(type) compiled to \(String(describing: kind))")
            }
        }
    }
}

extension LambdaTargetTests {
    static let httpCompiler = DeploymentCompiler(
        configuration: .init(), metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))

    static func awsProxy(_ uri: String, version: String?) -> Integration {
        var integration = Integration(integrationId: "int1234", integrationType: "AWS_PROXY")
        integration.integrationUri = uri
        integration.payloadFormatVersion = version
        return integration
    }

    /// HTTP API `AWS_PROXY`: both URI forms, the payload version, stage variables in the URI.
    @Test func httpApiCompilerResolvesLambdaProxies() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:orders"
        let cases: [(Integration, LambdaPayloadVersion)] = [
            (Self.awsProxy(arn, version: "1.0"), .v1),
            (Self.awsProxy("arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}", version: "2.0"), .v2),
            (Self.awsProxy("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\(arn)/invocations", version: nil), .v2),
        ]
        for (integration, version) in cases {
            let compiled = Self.httpCompiler.compileIntegration(integration, variables: ["fn": "orders"], isDefaultRoute: false)
            guard case .lambdaProxy(let target, let compiledVersion) = compiled.kind else {
                Issue.record("\(integration.integrationUri ?? "") compiled to \(compiled.kind)")
                continue
            }
            #expect(target.functionName == arn)
            #expect(compiledVersion == version)
            #expect(compiled.timeoutMillis == Integration.defaultTimeoutMillis)
        }
        let unusable = Self.httpCompiler.compileIntegration(Self.awsProxy("https://example.com", version: "2.0"), variables: [:], isDefaultRoute: false)
        guard case .unusable = unusable.kind else {
            Issue.record("a non-Lambda URI compiled")
            return
        }
    }
}
