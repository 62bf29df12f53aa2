import Testing

@testable import PorticoLambda

/// Invoke's `FunctionName` forms (AWS_FACTS.md L3).
struct FunctionReferenceTests {
    @Test func theThreeFormsWithAndWithoutQualifier() {
        #expect(FunctionReference(parsing: "fn") == FunctionReference(name: "fn"))
        #expect(FunctionReference(parsing: "fn:prod") == FunctionReference(name: "fn", qualifier: "prod"))
        #expect(FunctionReference(parsing: "123456789012:function:fn") == FunctionReference(name: "fn", accountId: "123456789012"))
        #expect(
            FunctionReference(parsing: "123456789012:function:fn:$LATEST")
                == FunctionReference(name: "fn", qualifier: "$LATEST", accountId: "123456789012"))
        #expect(
            FunctionReference(parsing: "arn:aws:lambda:eu-west-1:123456789012:function:fn")
                == FunctionReference(name: "fn", region: "eu-west-1", accountId: "123456789012"))
        #expect(
            FunctionReference(parsing: "arn:aws:lambda:eu-west-1:123456789012:function:fn:3")
                == FunctionReference(name: "fn", qualifier: "3", region: "eu-west-1", accountId: "123456789012"))
    }

    @Test func malformedNamesAreNotReferences() {
        for text in ["", "fn:", "a:b:c", "arn:aws:s3:::bucket", "arn:aws:lambda:r:1:layer:x", "a:b:c:d:e"] {
            #expect(FunctionReference(parsing: text) == nil, "\(text)")
        }
    }

    @Test func theNotFoundArnUsesTheHostsRegionAndAccountUnlessNamed() {
        #expect(
            FunctionReference(name: "fn", qualifier: "7").arn(region: "us-east-1", accountId: "000000000000")
                == "arn:aws:lambda:us-east-1:000000000000:function:fn:7")
        #expect(
            FunctionReference(name: "fn", region: "eu-west-1", accountId: "1").arn(region: "us-east-1", accountId: "0")
                == "arn:aws:lambda:eu-west-1:1:function:fn")
    }
}
