import PorticoModel
import Testing

/// IAM policy parsing and evaluation for `execute-api:Invoke`: wildcards, explicit Deny wins,
/// default deny, principals, `aws:SourceIp` conditions and absent condition keys.
struct IamPolicyTests {
    static let arn = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7"
    static let alice = IamPolicy.Caller(userArn: "arn:aws:iam::000000000000:user/alice", accountId: "000000000000")
    static let loopback = IPAddressBlock.parseAddress("127.0.0.1")
    static let outside = IPAddressBlock.parseAddress("198.51.100.7")

    static func identity(_ json: String) -> IamPolicy {
        guard case .success(let policy) = IamPolicy.parse(json, resourcePolicy: false) else { fatalError("does not parse: \(json)") }
        return policy
    }

    static func resource(_ json: String) -> IamPolicy {
        guard case .success(let policy) = IamPolicy.parse(json, resourcePolicy: true) else { fatalError("does not parse: \(json)") }
        return policy
    }

    func decide(_ policy: IamPolicy, arn: String = Self.arn, caller: IamPolicy.Caller? = Self.alice, ip: [UInt8]? = Self.loopback)
        -> IamPolicy.Decision
    {
        policy.decision(action: "execute-api:Invoke", resource: arn, caller: caller, sourceIp: ip)
    }

    @Test func wildcardsMatchAsIamDoes() {
        let allowed = [
            "*", "arn:aws:execute-api:*:*:abc123/*", "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/*",
            "arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/pets/?", "arn:aws:execute-api:us-east-1:*:abc123/prod/*/pets/*",
        ]
        for resource in allowed {
            let policy = Self.identity(#"{"Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"\#(resource)"}}"#)
            #expect(decide(policy) == .allow, "\(resource)")
        }
        let other = [
            "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/*", "arn:aws:execute-api:us-east-1:000000000000:other/*",
            "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets",
        ]
        for resource in other {
            let policy = Self.identity(#"{"Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"\#(resource)"}}"#)
            #expect(decide(policy) == .implicitDeny, "\(resource)")
        }
        // Action names compare case-insensitively, with wildcards.
        for action in ["execute-api:*", "EXECUTE-API:invoke", "*", "execute-api:Inv*"] {
            let policy = Self.identity(#"{"Statement":{"Effect":"Allow","Action":"\#(action)","Resource":"*"}}"#)
            #expect(decide(policy) == .allow, "\(action)")
        }
        #expect(decide(Self.identity(#"{"Statement":{"Effect":"Allow","Action":"execute-api:ManageConnections","Resource":"*"}}"#)) == .implicitDeny)
    }

    @Test func explicitDenyWinsAndNothingIsADeny() {
        let policy = Self.identity(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},"#
                + #"{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:abc123/*/GET/pets/*"}]}"#)
        #expect(decide(policy) == .explicitDeny)
        #expect(decide(policy, arn: "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/pets/7") == .allow)
        #expect(decide(IamPolicy(statements: [])) == .implicitDeny)
    }

    @Test func notActionAndNotResource() {
        let policy = Self.identity(#"{"Statement":[{"Effect":"Allow","NotAction":"s3:*","NotResource":"arn:aws:execute-api:*:*:other/*"}]}"#)
        #expect(decide(policy) == .allow)
        #expect(decide(policy, arn: "arn:aws:execute-api:us-east-1:000000000000:other/prod/GET/") == .implicitDeny)
    }

    @Test func sourceIpConditions() {
        let inside = Self.resource(
            #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","#
                + #""Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","127.0.0.1/32"]}}}}"#)
        #expect(decide(inside, caller: nil) == .allow)
        #expect(decide(inside, caller: nil, ip: Self.outside) == .implicitDeny)
        let notInside = Self.resource(
            #"{"Statement":{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","#
                + #""Condition":{"NotIpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}}"#)
        #expect(decide(notInside, caller: nil) == .implicitDeny)
        #expect(decide(notInside, caller: nil, ip: Self.outside) == .explicitDeny)
        #expect(inside.readsSourceIp && notInside.readsSourceIp)
    }

    @Test func absentConditionKeysAreTreatedAsIamTreatsThem() {
        // A key Portico's requests never carry: positive operators are false, negated ones true.
        let vpce = Self.resource(
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","#
                + #""Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#)
        #expect(decide(vpce, caller: nil) == .implicitDeny)
        let denyOutsideVpce = Self.resource(
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},"#
                + #"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#)
        #expect(decide(denyOutsideVpce, caller: nil) == .explicitDeny)
    }

    @Test func principals() {
        let onlyAlice = Self.resource(
            #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"*","Resource":"*"}}"#)
        #expect(decide(onlyAlice) == .allow)
        #expect(decide(onlyAlice, caller: nil) == .implicitDeny)
        #expect(decide(onlyAlice, caller: .init(userArn: "arn:aws:iam::000000000000:user/bob", accountId: "000000000000")) == .implicitDeny)
        let account = Self.resource(#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["000000000000"]},"Action":"*","Resource":"*"}}"#)
        #expect(decide(account) == .allow)
        #expect(decide(account, caller: nil) == .implicitDeny)
        let anyone = Self.resource(#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}}"#)
        #expect(decide(anyone, caller: nil) == .allow)
    }

    @Test func shorthandResourcesExpandToTheApi() {
        let policy = Self.resource(#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"execute-api:/prod/GET/*"}}"#)
            .expandingExecuteApiShorthand(arnPrefix: "arn:aws:execute-api:us-east-1:000000000000:abc123")
        #expect(decide(policy, caller: nil) == .allow)
        #expect(decide(policy, arn: "arn:aws:execute-api:us-east-1:000000000000:abc123/beta/GET/pets", caller: nil) == .implicitDeny)
    }

    @Test func malformedDocumentsAreRefused() {
        let identityCases = [
            "", "{", "[]", #"{"Statement":"x"}"#, #"{"Statement":[{"Action":"*","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#, #"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#, #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
            #"{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1"}}}]}"#,
        ]
        for text in identityCases {
            if case .success = IamPolicy.parse(text, resourcePolicy: false) { Issue.record("accepted: \(text)") }
        }
        // A resource policy needs a principal.
        if case .success = IamPolicy.parse(#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#, resourcePolicy: true) {
            Issue.record("a resource policy without a principal was accepted")
        }
    }
}
