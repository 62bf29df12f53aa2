import PorticoModel
import Testing

@testable import PorticoManagement

struct ValidationTests {
    // MARK: Integrations

    func httpProxy(_ change: (inout Integration) -> Void = { _ in }) -> Integration {
        var integration = Integration(integrationId: "abc1234", integrationType: "HTTP_PROXY")
        integration.integrationMethod = "GET"
        integration.integrationUri = "https://example.com/{proxy}"
        integration.payloadFormatVersion = "1.0"
        change(&integration)
        return integration
    }

    @Test func validHTTPProxyPasses() throws {
        try IntegrationValidation.validate(httpProxy())
        try IntegrationValidation.validate(httpProxy { $0.integrationUri = "http://${stageVariables.host}/x" })
    }

    @Test func httpProxyNeedsMethodAbsoluteURLAndPayload10() {
        #expect(throws: APIError.self) { try IntegrationValidation.validate(httpProxy { $0.integrationMethod = nil }) }
        #expect(throws: APIError.self) { try IntegrationValidation.validate(httpProxy { $0.integrationMethod = "FETCH" }) }
        #expect(throws: APIError.self) { try IntegrationValidation.validate(httpProxy { $0.integrationUri = "/relative" }) }
        #expect(throws: APIError.self) { try IntegrationValidation.validate(httpProxy { $0.integrationUri = "ftp://x" }) }
        #expect(throws: APIError.self) { try IntegrationValidation.validate(httpProxy { $0.payloadFormatVersion = "2.0" }) }
    }

    @Test func nonProxyTypesUseAWSWording() {
        let error = #expect(throws: APIError.self) {
            try IntegrationValidation.validate(Integration(integrationId: "x", integrationType: "MOCK"))
        }
        #expect(
            error?.message
                == "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)")
    }

    @Test(arguments: [(49, false), (50, true), (30_000, true), (30_001, false)])
    func timeoutBounds(_ timeout: Int, _ valid: Bool) {
        let integration = httpProxy { $0.timeoutInMillis = timeout }
        if valid {
            #expect(throws: Never.self) { try IntegrationValidation.validate(integration) }
        } else {
            #expect(throws: APIError.self) { try IntegrationValidation.validate(integration) }
        }
    }

    @Test func lambdaTargets() {
        #expect(IntegrationValidation.isLambdaTarget("arn:aws:lambda:us-east-1:123456789012:function:hello"))
        #expect(
            IntegrationValidation.isLambdaTarget(
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:hello/invocations"
            ))
        #expect(!IntegrationValidation.isLambdaTarget("arn:aws:s3:::bucket"))
        #expect(!IntegrationValidation.isLambdaTarget("https://example.com"))
    }

    @Test(arguments: [
        ("append:header.x-trace", true), ("overwrite:header.Host", true), ("remove:header.x-a", true),
        ("append:querystring.q", true), ("remove:querystring.page", true), ("overwrite:path", true),
        ("append:path", false), ("overwrite:statuscode", false), ("replace:header.x", false), ("overwrite:header.", false),
        ("header.x", false), ("overwrite:header.bad header", false), ("overwrite:body.x", false),
    ])
    func requestParameterKeys(_ key: String, _ valid: Bool) {
        if valid {
            #expect(throws: Never.self) { try IntegrationValidation.validateRequestParameters([key: "$request.header.a"]) }
        } else {
            #expect(throws: APIError.self) { try IntegrationValidation.validateRequestParameters([key: "$request.header.a"]) }
        }
    }

    @Test func responseParameterKeys() throws {
        try IntegrationValidation.validateResponseParameters([
            "200": ["overwrite:statuscode": "204", "append:header.x-a": "b", "remove:header.server": "''"]
        ])
        #expect(throws: APIError.self) { try IntegrationValidation.validateResponseParameters(["600": ["overwrite:statuscode": "1"]]) }
        #expect(throws: APIError.self) { try IntegrationValidation.validateResponseParameters(["2xx": ["overwrite:statuscode": "1"]]) }
        #expect(throws: APIError.self) { try IntegrationValidation.validateResponseParameters(["200": ["overwrite:path": "/x"]]) }
    }

    // MARK: Stages

    @Test(arguments: [("$default", true), ("prod", true), ("v1_beta-2", true), ("", false), ("has space", false),
        ("$other", false), (String(repeating: "a", count: 128), true), (String(repeating: "a", count: 129), false)])
    func stageNames(_ name: String, _ valid: Bool) {
        if valid {
            #expect(throws: Never.self) { try StageValidation.validateName(name) }
        } else {
            #expect(throws: APIError.self) { try StageValidation.validateName(name) }
        }
    }

    @Test func stageVariables() throws {
        try StageValidation.validateVariables(["host": "example.com:8080", "path_1": "a/b?c=d&e,f#g~"])
        #expect(throws: APIError.self) { try StageValidation.validateVariables(["bad-name": "x"]) }
        #expect(throws: APIError.self) { try StageValidation.validateVariables(["ok": "spaces are not allowed"]) }
    }

    // MARK: Access logs

    @Test func accessLogDestinations() throws {
        for destination in ["stdout", "file:/var/log/portico.log", "arn:aws:logs:us-east-1:123456789012:log-group:my-group"] {
            try AccessLogValidation.validateDestination(destination)
        }
        for destination in ["stderr", "file:relative.log", "file:", "arn:aws:s3:::bucket", "arn:aws:logs:us-east-1:1:stream:x"] {
            #expect(throws: APIError.self, "\(destination)") { try AccessLogValidation.validateDestination(destination) }
        }
    }

    @Test func accessLogFormatMustLogARequestId() throws {
        try AccessLogValidation.validate(AccessLogSettings(destinationArn: "stdout", format: "$context.requestId $context.status"))
        try AccessLogValidation.validate(AccessLogSettings(destinationArn: "stdout", format: "{\"id\":\"$context.extendedRequestId\"}"))
        #expect(throws: APIError.self) {
            try AccessLogValidation.validate(AccessLogSettings(destinationArn: "stdout", format: "$context.status"))
        }
        #expect(throws: APIError.self) {
            try AccessLogValidation.validate(AccessLogSettings(destinationArn: nil, format: "$context.requestId"))
        }
    }

    // MARK: Tags and ARNs

    @Test func tags() throws {
        #expect(try TagValidation.merged(["a": "1"], with: ["b": "2", "a": "3"]) == ["a": "3", "b": "2"])
        #expect(throws: APIError.self) { try TagValidation.validate(["aws:reserved": "x"]) }
        #expect(throws: APIError.self) { try TagValidation.validate(["": "x"]) }
        let many = Dictionary(uniqueKeysWithValues: (0..<51).map { ("k\($0)", "v") })
        #expect(throws: APIError.self) { try TagValidation.merged([:], with: many) }
    }

    @Test func resourceArns() throws {
        #expect(
            try ResourceArn(parsing: "arn:aws:apigateway:us-east-1::/apis/abc", region: "us-east-1", accountId: "0")
                == .api(apiId: "abc"))
        #expect(
            try ResourceArn(parsing: "arn:aws:apigateway:us-east-1::/apis/abc/stages/$default", region: "us-east-1", accountId: "0")
                == .stage(apiId: "abc", stageName: "$default"))
        #expect(
            try ResourceArn(parsing: "arn:aws:apigateway:us-east-1::/restapis/abc", region: "us-east-1", accountId: "0")
                == .restApi(restApiId: "abc"))
        #expect(
            try ResourceArn(parsing: "arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod", region: "us-east-1", accountId: "0")
                == .restStage(restApiId: "abc", stageName: "prod"))
        let otherRegion = #expect(throws: APIError.self) {
            try ResourceArn(parsing: "arn:aws:apigateway:eu-west-1::/apis/abc", region: "us-east-1", accountId: "0")
        }
        #expect(otherRegion?.type == "NotFoundException")
        for arn in ["nonsense", "arn:aws:s3:::bucket", "arn:aws:apigateway:us-east-1::/restapis/abc/resources/x", "arn:aws:apigateway:us-east-1::/apis/abc/routes/x"] {
            #expect(throws: APIError.self, "\(arn)") { try ResourceArn(parsing: arn, region: "us-east-1", accountId: "0") }
        }
    }

    // MARK: Request bodies

    @Test func bodyMemberTypeErrorsNameTheMember() throws {
        let body = try JSONBody(bytes: Array(#"{"name": 5, "cors": {"maxAge": "x"}, "tags": {"a": 1}, "ok": true}"#.utf8))
        let nameError = #expect(throws: APIError.self) { try body.string("name") }
        #expect(nameError?.message == "Invalid type for member 'name': expected a string but got a number.")
        let nested = #expect(throws: APIError.self) { try body.object("cors")?.integer("maxAge") }
        #expect(nested?.message.contains("'cors.maxAge'") == true)
        let mapError = #expect(throws: APIError.self) { try body.stringMap("tags") }
        #expect(mapError?.message.contains("'tags.a'") == true)
        #expect(try body.bool("ok") == true)
        #expect(throws: APIError.self) { try body.integer("ok") }
        #expect(try body.string("absent") == nil)
    }

    @Test func malformedJSONIsABadRequest() {
        for text in [#"{"name": "#, "[1, 2]", "nul", #"{"a": tru}"#] {
            let error = #expect(throws: APIError.self, "\(text)") { try JSONBody(bytes: Array(text.utf8)) }
            #expect(error?.type == "BadRequestException")
            #expect(error?.message.hasPrefix("Could not parse request body into json") == true)
        }
        #expect(throws: Never.self) { try JSONBody(bytes: Array("  ".utf8)) }
    }

    @Test func integersMustBeWhole() throws {
        let body = try JSONBody(bytes: Array(#"{"a": 1.5, "b": 30000}"#.utf8))
        #expect(throws: APIError.self) { try body.integer("a") }
        #expect(try body.integer("b") == 30000)
    }
}
