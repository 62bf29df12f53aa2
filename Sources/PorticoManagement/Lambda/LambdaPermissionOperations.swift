import Foundation
import PorticoModel
import PorticoStore

/// AddPermission, GetPolicy and RemovePermission: a function's resource-based policy, stored and
/// shown back as Lambda shows it (the policy and each statement as JSON *text* inside the JSON
/// answer). Portico does not evaluate the policy: any signed caller may invoke any function.
enum LambdaPermissionOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/2015-03-31/functions/{FunctionName}/policy", addPermission)
        router.add("GET", "/2015-03-31/functions/{FunctionName}/policy", getPolicy)
        router.add("DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", removePermission)
    }

    /// Lambda's cap on a function's policy document (20 KB).
    static let maximumPolicyBytes = 20_480

    @Sendable static func addPermission(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let body = try context.body()
        var violations: [String] = []
        let statementId = try body.string("StatementId")
        let action = try body.string("Action")
        let principalText = try body.string("Principal")
        if statementId == nil { violations.append("Value null at 'statementId' failed to satisfy constraint: Member must not be null") }
        if action == nil { violations.append("Value null at 'action' failed to satisfy constraint: Member must not be null") }
        if principalText == nil { violations.append("Value null at 'principal' failed to satisfy constraint: Member must not be null") }
        if let statementId, !isStatementId(statementId) {
            violations.append(
                "Value '\(statementId)' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
        }
        if let action, !isAction(action) {
            violations.append(
                "Value '\(action)' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])")
        }
        if !violations.isEmpty { throw LambdaErrors.validation(violations) }
        guard let statementId, let action, let principalText else { throw LambdaErrors.validation(violations) }
        let principal = try principal(principalText)
        let revisionId = try body.string("RevisionId")
        let sourceArn = try body.string("SourceArn")
        let sourceAccount = try body.string("SourceAccount")
        let eventSourceToken = try body.string("EventSourceToken")
        let principalOrgId = try body.string("PrincipalOrgID")
        let authType = try body.enumeration("FunctionUrlAuthType", ["NONE", "AWS_IAM"])

        let statement = try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            if let revisionId, revisionId != function.policyRevisionId { throw LambdaErrors.policyRevisionMismatch }
            guard !function.permissions.contains(where: { $0.statementId == statementId }) else {
                // AWS's wording for a duplicate statement id.
                throw LambdaErrors.conflict(
                    "The statement id (\(statementId)) provided already exists. Please provide a new statement id, or remove the existing statement.")
            }
            let permission = LambdaPermission(
                statementId: statementId, action: action, principal: principal,
                resource: context.functionArn(function.functionName), sourceArn: sourceArn, sourceAccount: sourceAccount,
                eventSourceToken: eventSourceToken, principalOrgId: principalOrgId, functionUrlAuthType: authType)
            function.permissions.append(permission)
            guard policyText(function.permissions).utf8.count <= maximumPolicyBytes else {
                // AWS's PolicyLengthExceededException (exact wording not found; the type is AWS's).
                throw APIError(
                    status: 400, type: "PolicyLengthExceededException",
                    message: "The final policy size (\(policyText(function.permissions).utf8.count)) is bigger than the limit (\(maximumPolicyBytes)).")
            }
            function.policyRevisionId = UUID().uuidString.lowercased()
            try transaction.putLambdaFunction(function)
            return statementJSON(permission)
        }
        return .lambdaJSON(201, .object(["Statement": .string(statement)]))
    }

    @Sendable static func getPolicy(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let function = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }
        guard !function.permissions.isEmpty else {
            // AWS's answer for a function without a resource policy.
            throw LambdaErrors.notFound("The resource you requested does not exist.")
        }
        return .lambdaJSON(
            200,
            .object([
                "Policy": .string(policyText(function.permissions)),
                "RevisionId": .string(function.policyRevisionId ?? function.revisionId),
            ]))
    }

    @Sendable static func removePermission(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let statementId = context.parameter("StatementId")
        let revisionId = try context.query().first("RevisionId")
        try await context.transaction { transaction in
            var function = try context.lambdaFunction(transaction, reference)
            if let revisionId, revisionId != function.policyRevisionId { throw LambdaErrors.policyRevisionMismatch }
            guard let index = function.permissions.firstIndex(where: { $0.statementId == statementId }) else {
                // AWS's wording (a function with no policy at all answers the same way here).
                throw LambdaErrors.notFound("Statement \(statementId) is not found in resource policy.")
            }
            function.permissions.remove(at: index)
            function.policyRevisionId = UUID().uuidString.lowercased()
            try transaction.putLambdaFunction(function)
        }
        return .noContent
    }

    /// The `Principal` as Lambda writes it into the policy: a service (`*.amazonaws.com`), an
    /// account (as its root ARN), an IAM ARN, or `*`; anything else is refused with AWS's text.
    static func principal(_ text: String) throws(APIError) -> LambdaPrincipal {
        if text == "*" { return .anyone }
        if text.hasSuffix(".amazonaws.com") { return .service(text) }
        if text.count == 12, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return .aws("arn:aws:iam::\(text):root") }
        if text.hasPrefix("arn:aws") && text.contains(":iam::") { return .aws(text) }
        throw LambdaErrors.invalidParameter("The provided principal was invalid. Please check the principal and try again.")
    }

    /// One statement as Lambda writes it, members in Lambda's order.
    static func statementJSON(_ permission: LambdaPermission) -> String {
        var text = "{\"Sid\":\(JSONText.quoted(permission.statementId)),\"Effect\":\"Allow\",\"Principal\":"
        switch permission.principal {
        case .anyone: text += "\"*\""
        case .service(let service): text += "{\"Service\":\(JSONText.quoted(service))}"
        case .aws(let arn): text += "{\"AWS\":\(JSONText.quoted(arn))}"
        }
        text += ",\"Action\":\(JSONText.quoted(permission.action)),\"Resource\":\(JSONText.quoted(permission.resource))"
        var conditions: [(test: String, key: String, value: String)] = []
        if let value = permission.functionUrlAuthType { conditions.append(("StringEquals", "lambda:FunctionUrlAuthType", value)) }
        if let value = permission.principalOrgId { conditions.append(("StringEquals", "aws:PrincipalOrgID", value)) }
        if let value = permission.sourceAccount { conditions.append(("StringEquals", "AWS:SourceAccount", value)) }
        if let value = permission.eventSourceToken { conditions.append(("StringEquals", "lambda:EventSourceToken", value)) }
        if let value = permission.sourceArn { conditions.append(("ArnLike", "AWS:SourceArn", value)) }
        if !conditions.isEmpty {
            // Grouped by condition operator, in the order the operators first appear.
            var tests: [String] = []
            var byTest: [String: [String]] = [:]
            for condition in conditions {
                if byTest[condition.test] == nil { tests.append(condition.test) }
                byTest[condition.test, default: []].append("\(JSONText.quoted(condition.key)):\(JSONText.quoted(condition.value))")
            }
            let parts = tests.map { "\(JSONText.quoted($0)):{\(byTest[$0]!.joined(separator: ","))}" }
            text += ",\"Condition\":{\(parts.joined(separator: ","))}"
        }
        return text + "}"
    }

    /// The whole policy document, as GetPolicy's `Policy` string.
    static func policyText(_ permissions: [LambdaPermission]) -> String {
        "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[\(permissions.map(statementJSON).joined(separator: ","))]}"
    }

    static func isStatementId(_ text: String) -> Bool {
        (1...100).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func isAction(_ text: String) -> Bool {
        if text == "*" || text == "lambda:*" { return true }
        guard text.hasPrefix("lambda:") else { return false }
        let name = text.dropFirst(7)
        return !name.isEmpty && name.allSatisfy { $0.isASCII && $0.isLetter }
    }
}
