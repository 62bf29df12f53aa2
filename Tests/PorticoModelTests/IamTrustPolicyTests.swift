import PorticoModel
import Testing

/// A role's trust policy (`AssumeRolePolicyDocument`), checked as IAM checks it at `CreateRole`.
struct IamTrustPolicyTests {
    @Test func trustPoliciesAreCheckedAsIamChecksThem() {
        #expect(IamTrustPolicy.problem(#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#) == nil)
        #expect(IamTrustPolicy.problem("{nope") == "This policy contains invalid Json")
        #expect(IamTrustPolicy.problem(#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#) == "Missing required field Principal")
        #expect(IamTrustPolicy.problem(#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"a","Resource":"*"}}"#) == "Has prohibited field Resource")
        #expect(IamTrustPolicy.problem(#"{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"a"}]}"#) == "Invalid effect: Maybe")
        #expect(IamTrustPolicy.problem(#"{"Version":"2012-10-17"}"#) == "Syntax errors in policy.")
    }
}
