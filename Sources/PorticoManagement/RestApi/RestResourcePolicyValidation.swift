import PorticoModel

/// A REST API's `policy` must be an IAM resource policy Portico can evaluate; AWS refuses
/// anything else with a 400 when the policy is set (create-rest-api, update `/policy`).
enum RestResourcePolicyValidation {
    static func check(_ policy: String?) throws(APIError) {
        guard let policy, !policy.isEmpty else { return }
        if case .failure(let malformed) = IamPolicy.parse(policy, resourcePolicy: true) {
            // AWS's wording for an unreadable resource policy; the reason is Portico's addition.
            throw .badRequest(
                "Invalid policy document. Please check the policy syntax and ensure that Principals are valid. (\(malformed.reason))")
        }
    }
}
