import Testing

@testable import PorticoObservability

struct AccessLogValidationTests {
    @Test func acceptsTheAWSExamples() {
        let json = #"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","#
            + #""httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","#
            + #""protocol":"$context.protocol","responseLength":"$context.responseLength"}"#
        #expect(AccessLogFormat.validate(json) == nil)
        let clf = #"$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" "#
            + #"$context.status $context.responseLength $context.requestId"#
        #expect(AccessLogFormat.validate(clf) == nil)
    }

    @Test func acceptsEitherRequestIdAndBracedForm() {
        #expect(AccessLogFormat.validate("$context.extendedRequestId") == nil)
        #expect(AccessLogFormat.validate("${context.requestId}") == nil)
        #expect(AccessLogFormat.validate("$context.requestId $context.authorizer.claims.sub $context.authorizer.tenant-id") == nil)
    }

    @Test func requiresARequestId() {
        #expect(
            AccessLogFormat.validate("$context.status $context.requestIdX")
                == "The following context variables are not supported: [$context.requestIdX]"
        )
        #expect(
            AccessLogFormat.validate("$context.status")
                == "The following errors are found in Access Log Format: Access Log format must include either "
                + "$context.requestId or $context.extendedRequestId : '$context.status'"
        )
        #expect(AccessLogFormat.validate("") != nil)
    }

    @Test func rejectsUnsupportedVariables() {
        let format = "$context.requestId $context.request.header.mcp-method ${context.nope} $context.resourcePath"
        #expect(
            AccessLogFormat.validate(format)
                == "The following context variables are not supported: [$context.request.header.mcp-method, ${context.nope}]"
        )
    }

    @Test func rejectsLineBreaks() {
        #expect(
            AccessLogFormat.validate("$context.requestId\n$context.status")
                == "The following errors are found in Access Log Format: Access Log format must be single line: "
                + "'$context.requestId\n$context.status'"
        )
        #expect(AccessLogFormat.validate("$context.requestId\r") != nil)
    }

    @Test func capsTheLengthAtThreeKilobytes() {
        let prefix = "$context.requestId "
        let atLimit = prefix + String(repeating: "x", count: 3072 - prefix.utf8.count)
        #expect(atLimit.utf8.count == AccessLogFormat.maximumFormatLength)
        #expect(AccessLogFormat.validate(atLimit) == nil)
        #expect(
            AccessLogFormat.validate(atLimit + "x") == "Access Log format must be at most 3072 bytes long, but was 3073 bytes"
        )
    }
}
