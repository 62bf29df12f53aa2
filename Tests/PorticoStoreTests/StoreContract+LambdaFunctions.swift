import Foundation
import PorticoModel
import PorticoStore
import Testing

/// The contract for Lambda functions: one document per function, in name order, announced by
/// name, rolled back with their transaction, and gone after a reset.
extension StoreContract {
    static let lambdaFunctionChecks: [StoreContractCheck] = [
        StoreContractCheck(name: "Lambda function round trip", run: lambdaRoundTrip),
        StoreContractCheck(name: "Lambda function changes are announced by name", run: lambdaChanges),
        StoreContractCheck(name: "Lambda function rollback and deleteEverything", run: lambdaRollbackAndReset),
    ]

    static func sampleFunction(_ name: String) -> LambdaFunctionDocument {
        LambdaFunctionDocument(
            functionName: name, runtime: "python3.12", role: "arn:aws:iam::000000000000:role/lambda", handler: "app.handler",
            description: "sample", timeout: 30, memorySize: 256, environment: ["STAGE": "test"],
            code: LambdaFunctionCode(sha256: "c2hh", size: 123, directory: "/tmp/functions/\(name)/abc"),
            lastModified: "2024-01-02T03:04:05.678+0000", revisionId: "rev-1", tags: ["team": "a"],
            permissions: [
                LambdaPermission(
                    statementId: "apigw", action: "lambda:InvokeFunction", principal: .service("apigateway.amazonaws.com"),
                    resource: "arn:aws:lambda:us-east-1:000000000000:function:\(name)", sourceArn: "arn:aws:execute-api:*")
            ],
            reservedConcurrency: 5, policyRevisionId: "policy-1")
    }

    static func lambdaRoundTrip(_ store: any Store) async throws {
        let beta = sampleFunction("beta")
        var alphaDocument = sampleFunction("alpha")
        alphaDocument.permissions = [
            LambdaPermission(statementId: "any", action: "lambda:*", principal: .anyone, resource: "r"),
            LambdaPermission(statementId: "acct", action: "lambda:*", principal: .aws("arn:aws:iam::111111111111:root"), resource: "r"),
        ]
        let alpha = alphaDocument
        try await store.transaction { tx in
            try tx.putLambdaFunction(beta)
            try tx.putLambdaFunction(alpha)
        }
        let (one, all, missing) = try await store.transaction { tx in
            (try tx.lambdaFunction(name: "beta"), try tx.allLambdaFunctions(), try tx.lambdaFunction(name: "gamma"))
        }
        #expect(one == beta)
        #expect(all == [alpha, beta])
        #expect(missing == nil)

        var changedDocument = beta
        changedDocument.timeout = 900
        let changed = changedDocument
        try await store.transaction { tx in
            try tx.putLambdaFunction(changed)
            try tx.deleteLambdaFunction(name: "alpha")
        }
        #expect(try await store.transaction { tx in try tx.allLambdaFunctions() } == [changed])
    }

    static func lambdaChanges(_ store: any Store) async throws {
        var iterator = store.changes().makeAsyncIterator()
        try await store.transaction { tx in try tx.putLambdaFunction(sampleFunction("one")) }
        #expect(await iterator.next() == StoreChange(apiIds: [], functionNames: ["one"]))
        try await store.transaction { tx in try tx.deleteLambdaFunction(name: "one") }
        #expect(await iterator.next() == StoreChange(apiIds: [], functionNames: ["one"]))
    }

    static func lambdaRollbackAndReset(_ store: any Store) async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.transaction { tx in
                try tx.putLambdaFunction(sampleFunction("rolled-back"))
                throw Boom()
            }
        }
        #expect(try await store.transaction { tx in try tx.lambdaFunction(name: "rolled-back") } == nil)

        try await store.transaction { tx in try tx.putLambdaFunction(sampleFunction("kept")) }
        var iterator = store.changes().makeAsyncIterator()
        try await store.transaction { tx in try tx.deleteEverything() }
        #expect(await iterator.next() == StoreChange(apiIds: [], functionNames: ["kept"], everything: true))
        #expect(try await store.transaction { tx in try tx.allLambdaFunctions() }.isEmpty)
    }
}
