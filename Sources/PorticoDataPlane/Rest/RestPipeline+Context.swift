import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoTemplates

extension RestPipeline {
    /// Resolves a parameter mapping source for this request (and the backend's response).
    func value(_ source: RestValueSource, backend: RestUpstreamCall.Response?, backendJSON: JSONValue? = nil) -> String? {
        switch source {
        case .literal(let text): return text
        case .requestHeader(let name): return rest.header(name, in: exchange.head)
        case .requestMultiValueHeader(let name):
            let values = exchange.head.headers[name]
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestQuery(let name): return rest.query(name)
        case .requestMultiValueQuery(let name):
            let values = rest.queryParameters.filter { $0.0 == name }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .requestPath(let name): return rest.pathParameters.last { $0.name == name }?.value
        case .requestBody(let path):
            guard let path else { return String(decoding: rest.body, as: UTF8.self) }
            return path.text(in: rest.bodyJSON)
        case .responseHeader(let name): return backend?.head.headers[name].last
        case .responseMultiValueHeader(let name):
            let values = backend?.head.headers[name] ?? []
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .responseBody(let path):
            guard let backend else { return nil }
            guard let path else { return String(decoding: backend.body, as: UTF8.self) }
            return path.text(in: backendJSON)
        case .stageVariable(let name): return rest.deployment?.stageVariables[name]
        case .context(let name): return contextValue(name)
        }
    }

    func contextValue(_ name: String) -> String? {
        JSONValue.object(contextMap(error: nil)).scalarText(atDottedPath: name)
    }

    // MARK: templates

    /// `$context` for templates: what AWS documents for REST APIs ("$context variables for data
    /// models, authorizers, mapping templates, and access logging") that Portico knows.
    func contextMap(error: RestError?) -> [String: JSONValue] {
        var map = rest.contextCache ?? baseContext()
        // Once the method is known nothing in the base changes: build it once per request.
        if rest.method != nil { rest.contextCache = map }
        if let error {
            // `messageString` is the message as a quoted JSON string, so that AWS's default
            // template `{"message":$context.error.messageString}` renders valid JSON.
            // A nil message (an authorizer's configuration error) renders as JSON `null`, as AWS's
            // `{"message":null}` for AUTHORIZER_CONFIGURATION_ERROR shows.
            var members: [String: JSONValue] = [
                "message": error.message.map(JSONValue.string) ?? .null,
                "messageString": .string(error.message.map(JSONText.quoted) ?? "null"),
                "responseType": .string(error.type.rawValue),
            ]
            if let details = error.validationErrorString { members["validationErrorString"] = .string(details) }
            map["error"] = .object(members)
        }
        return map
    }

    private func baseContext() -> [String: JSONValue] {
        let stageName = rest.stage?.name ?? ""
        var map: [String: JSONValue] = [
            "requestId": .string(rest.requestId),
            "extendedRequestId": .string(exchange.requestId),
            "apiId": .string(rest.api.restApiId),
            "stage": .string(stageName),
            "httpMethod": .string(exchange.head.method.rawValue),
            "path": .string("/" + stageName + rest.stagePath),
            "protocol": .string(exchange.head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1"),
            "domainName": .string(String(rest.domainName)),
            "domainPrefix": .string(RuntimeStage.domainPrefix(String(rest.domainName))),
            "accountId": .string(configuration.accountId),
            "requestTimeEpoch": .integer(exchange.startWallMillis),
            "requestTime": .string(CommonLogTime.string(epochMillis: exchange.startWallMillis)),
            "identity": .object(identityContext()),
        ]
        if let deployment = rest.deployment { map["deploymentId"] = .string(deployment.deploymentId) }
        if let method = rest.method {
            map["resourceId"] = .string(method.resourceId)
            map["resourcePath"] = .string(method.resourcePath)
        }
        if let claims = rest.authorization?.claims {
            // Cognito: `$context.authorizer.claims.<name>`, each as a string.
            var members: [String: JSONValue] = [:]
            for (name, value) in claims.textClaims { members[name] = .string(value) }
            map["authorizer"] = .object(["claims": .object(members)])
        } else if let authorization = rest.authorization {
            // `$context.authorizer.principalId` and `$context.authorizer.<key>` (values as strings).
            var members: [String: JSONValue] = ["principalId": .string(authorization.policy.principalId)]
            for (key, value) in authorization.stringContext { members[key] = .string(value) }
            map["authorizer"] = .object(members)
        }
        // AWS: present only on a stage with a canary; true when the canary serves the request.
        if rest.stage?.canary != nil { map["isCanaryRequest"] = .bool(rest.deployment?.isCanary == true) }
        return map
    }

    /// `$context.identity`: the client's address and agent, and for an IAM-signed request the
    /// signer (AWS: `caller` and `user` are the IAM user's id, `userArn` its ARN).
    private func identityContext() -> [String: JSONValue] {
        var identity: [String: JSONValue] = [
            "sourceIp": .string(clientAddress),
            "userAgent": exchange.head.headers.first(name: "user-agent").map(JSONValue.string) ?? .null,
        ]
        if let iam = rest.iamPrincipal {
            identity["accessKey"] = .string(iam.accessKeyId)
            identity["accountId"] = .string(iam.accountId)
            identity["caller"] = .string(iam.userId)
            identity["user"] = .string(iam.userId)
            identity["userArn"] = .string(iam.userArn)
        }
        return identity
    }

    func templateContext(body: [UInt8], error: RestError? = nil) -> MappingTemplateContext {
        var query: [(name: String, value: String)] = []
        for (name, value) in rest.queryParameters {
            // The last value of a repeated name, as AWS_FACTS 3 records for single-value parameters.
            if let index = query.firstIndex(where: { $0.name == name }) { query[index].value = value } else { query.append((name, value)) }
        }
        return MappingTemplateContext(
            body: body, pathParameters: rest.pathParameters, queryStringParameters: query,
            headers: exchange.head.headers.map { ($0.name, $0.value) }, context: contextMap(error: error),
            stageVariables: rest.deployment?.stageVariables ?? [:])
    }

}

/// A gateway-generated error as `$context.error` shows it.
struct RestError {
    var type: GatewayResponseType
    var message: String?
    /// `$context.error.validationErrorString`, for request validation failures.
    var validationErrorString: String?
}
