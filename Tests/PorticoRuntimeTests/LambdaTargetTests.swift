import PorticoModel
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
