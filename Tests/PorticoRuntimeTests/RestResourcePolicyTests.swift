import PorticoModel
import PorticoObservability
import Testing

@testable import PorticoRuntime

/// How a resource policy's decision combines with the method's authorization (AWS's outcome
/// tables for caller and API in the same account).
struct RestResourcePolicyTests {
    @Test func withoutAuthorizationTheResourcePolicyDecides() {
        #expect(RestResourcePolicy.combine(identity: nil, resource: nil) == .allow)
        #expect(RestResourcePolicy.combine(identity: nil, resource: .allow) == .allow)
        #expect(RestResourcePolicy.combine(identity: nil, resource: .implicitDeny) == .implicitDeny)
        #expect(RestResourcePolicy.combine(identity: nil, resource: .explicitDeny) == .explicitDeny)
    }

    @Test func withIamEitherAllowSufficesAndAnyDenyWins() {
        let table: [(IamPolicy.Decision, IamPolicy.Decision?, IamPolicy.Decision)] = [
            (.allow, nil, .allow), (.implicitDeny, nil, .implicitDeny), (.explicitDeny, nil, .explicitDeny),
            (.allow, .allow, .allow), (.allow, .implicitDeny, .allow), (.allow, .explicitDeny, .explicitDeny),
            (.implicitDeny, .allow, .allow), (.implicitDeny, .implicitDeny, .implicitDeny), (.implicitDeny, .explicitDeny, .explicitDeny),
            (.explicitDeny, .allow, .explicitDeny), (.explicitDeny, .implicitDeny, .explicitDeny), (.explicitDeny, .explicitDeny, .explicitDeny),
        ]
        for (identity, resource, outcome) in table {
            #expect(RestResourcePolicy.combine(identity: identity, resource: resource) == outcome, "\(identity) + \(String(describing: resource))")
        }
    }

    @Test func malformedDeployedPolicyDeniesEverything() {
        let compiler = RestDeploymentCompiler(metrics: MetricsRegistry(), accessLogs: AccessLogWriters(logDirectory: "/tmp"))
        let document = RestApiDocument(
            restApi: RestApi(id: "abc123defg", name: "t", rootResourceId: "rootid0000", createdDate: nil),
            root: RestResource(id: "rootid0000", parentId: nil, pathPart: nil, path: "/"), models: [])
        var snapshot = RestDeploymentSnapshot(deploymentId: "dep001", of: document)
        snapshot.policy = "{broken"
        var warnings: [String] = []
        let policy = compiler.compileResourcePolicy(snapshot, warnings: &warnings)
        #expect(policy?.decision(methodArn: "arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/", caller: nil, sourceIp: nil) == .explicitDeny)
        #expect(warnings.count == 1)
    }
}
