import PorticoModel
import Testing

@testable import PorticoManagement

/// REST `AWS`/`AWS_PROXY` integration URIs, as AWS's PutIntegration checks them.
struct RestLambdaIntegrationValidationTests {
    static let lambda = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations"

    @Test func lambdaInvocationUrisPass() throws {
        try RestIntegrationValidation.validateAwsUri(Self.lambda, proxy: true)
        try RestIntegrationValidation.validateAwsUri(Self.lambda, proxy: false)
        try RestIntegrationValidation.validateAwsUri("arn:aws:apigateway:us-east-1:s3:path/bucket/key", proxy: false)
        try RestIntegrationValidation.validateAwsUri("arn:aws:apigateway:us-east-1:sqs:action/SendMessage", proxy: false)
    }

    @Test func refusalsUseAWSWording() {
        func message(_ uri: String, proxy: Bool) -> String? {
            do {
                try RestIntegrationValidation.validateAwsUri(uri, proxy: proxy)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message("https://example.com", proxy: true) == "Invalid ARN specified in the request")
        #expect(message("arn:aws:lambda:us-east-1:123456789012:function:f", proxy: false) == "Invalid ARN specified in the request")
        #expect(message("arn:aws:apigateway:us-east-1:lambda:functions/f", proxy: false) == "AWS ARN for integration must contain path or action")
        #expect(
            message("arn:aws:apigateway:us-east-1:s3:path/bucket", proxy: true)
                == "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
    }
}
