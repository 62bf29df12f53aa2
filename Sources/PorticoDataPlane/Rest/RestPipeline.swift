import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime
import PorticoTemplates

/// A REST API request from its resolved API to its answer, in AWS's order: stage (and canary
/// choice) → method → request validation → integration (MOCK, HTTP, HTTP_PROXY) → integration
/// response → method response. Every error the gateway produces goes through the deployment's
/// gateway responses. Runs on the connection's event loop once the whole request body is in.
struct RestPipeline {
    let state: LoopState
    let configuration: DataPlaneConfiguration
    let clientAddress: String
    let exchange: Exchange
    let rest: RestExchange

    /// Runs the request; `done` is called once, on the loop.
    func run(_ done: @escaping (RestResponse) -> Void) {
        if rest.api.executeApiEndpointDisabled {
            // AWS: a disabled default endpoint answers 403 Forbidden.
            done(gatewayResponse(.accessDenied, message: "Forbidden", responses: .defaults))
            return
        }
        guard let (stage, stagePath) = rest.api.stage(forPath: rest.apiPath) else {
            // AWS_FACTS 1: no such stage, resource or method → 403 "Missing Authentication Token".
            done(gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token", responses: .defaults))
            return
        }
        let deployment = stage.deployment(roll: Double.random(in: 0..<100))
        rest.stage = stage
        rest.deployment = deployment
        rest.stagePath = stagePath
        exchange.stage = deployment.logStage
        exchange.stagePath = stagePath
        guard let match = deployment.router.match(method: exchange.head.method.rawValue, path: stagePath) else {
            done(gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token"))
            return
        }
        let method = match.value
        rest.method = method
        rest.pathParameters = match.pathParameters
        exchange.route = method.route
        if let failure = authorize(method) {
            done(failure)
            return
        }
        if let failure = validate(method.validation) {
            done(failure)
            return
        }
        integrate(method, done)
    }

    // MARK: authorization

    /// AWS's order: authorization, then the API key, then validation.
    ///
    /// - `AWS_IAM` without a signature (no `Authorization` header, no `X-Amz-Signature` query
    ///   parameter) answers 403 "Missing Authentication Token", as AWS does. A signed request is
    ///   let through: Portico does not verify data-plane signatures yet.
    /// - `apiKeyRequired` answers 403 "Forbidden" (INVALID_API_KEY) without `x-api-key`
    ///   (AWS_FACTS 6). Portico has no API keys or usage plans yet, so no key can be valid: every
    ///   request to such a method is refused, as AWS refuses a key that no usage plan holds.
    func authorize(_ method: RestRuntimeMethod) -> RestResponse? {
        if method.requiresSignature, !exchange.head.headers.contains(name: "authorization"),
            !rest.rawQuery.contains("X-Amz-Signature=")
        {
            return gatewayResponse(.missingAuthenticationToken, message: "Missing Authentication Token")
        }
        if method.apiKeyRequired {
            return gatewayResponse(.invalidApiKey, message: "Forbidden")
        }
        return nil
    }

    // MARK: validation

    /// AWS_FACTS 5: missing required parameters are listed header, then path, then query string,
    /// by name; a body that fails its model is "Invalid request body".
    func validate(_ validation: RestRequestValidation) -> RestResponse? {
        guard !validation.isEmpty else { return nil }
        var missing: [String] = []
        for name in validation.requiredHeaders where rest.header(name, in: exchange.head)?.isEmpty ?? true {
            missing.append(name)
        }
        for name in validation.requiredPathParameters where !rest.pathParameters.contains(where: { $0.name == name && !$0.value.isEmpty }) {
            missing.append(name)
        }
        for name in validation.requiredQueryParameters where rest.query(name)?.isEmpty ?? true {
            missing.append(name)
        }
        if !missing.isEmpty {
            return gatewayResponse(.badRequestParameters, message: "Missing required request parameters: [\(missing.joined(separator: ", "))]")
        }
        if validation.validatesBody {
            let contentType = exchange.head.headers.first(name: "content-type").map(RestMediaType.of) ?? "application/json"
            if validation.bodyModels[contentType] != nil || validation.bodyModels.count == 1 {
                // Until the JSON Schema validator lands, a body is checked for being JSON at all.
                if rest.bodyJSON == nil { return gatewayResponse(.badRequestBody, message: "Invalid request body") }
            }
        }
        return nil
    }

    // MARK: gateway responses

    /// A gateway-generated answer of `type`, rendered with the deployment's gateway response
    /// (status, headers and template, customisable per API).
    func gatewayResponse(_ type: GatewayResponseType, message: String, responses: RestGatewayResponses? = nil) -> RestResponse {
        let compiled = (responses ?? rest.deployment?.gatewayResponses ?? .defaults).response(type)
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        if let template = compiled.template {
            let context = templateContext(body: [], error: (type, message))
            if let rendered = try? template.render(context: context) {
                body = Array(rendered.body.utf8)
            }
        }
        headers.append(("content-type", compiled.contentType))
        if let errorType = compiled.errorType { headers.append(("x-amzn-ErrorType", errorType)) }
        for (name, source) in compiled.headers {
            if let value = value(source, backend: nil) { headers.append((name, value)) }
        }
        return RestResponse(status: compiled.status, headers: headers, body: body, errorType: type.rawValue, errorMessage: message)
    }

    // MARK: values

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
        var value: JSONValue? = .object(contextMap(error: nil))
        for part in name.split(separator: ".") {
            guard case .object(let members) = value else { return nil }
            value = members[String(part)]
        }
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }

    // MARK: templates

    /// `$context` for templates: what AWS documents for REST APIs ("$context variables for data
    /// models, authorizers, mapping templates, and access logging") that Portico knows.
    func contextMap(error: (GatewayResponseType, String)?) -> [String: JSONValue] {
        var map = rest.contextCache ?? baseContext()
        // Once the method is known nothing in the base changes: build it once per request.
        if rest.method != nil { rest.contextCache = map }
        if let (type, message) = error {
            // `messageString` is the message as a quoted JSON string, so that AWS's default
            // template `{"message":$context.error.messageString}` renders valid JSON.
            map["error"] = .object([
                "message": .string(message), "messageString": .string(Self.quoted(message)), "responseType": .string(type.rawValue),
            ])
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
            "domainName": .string(rest.domainName),
            "domainPrefix": .string(RuntimeStage.domainPrefix(rest.domainName)),
            "accountId": .string(configuration.accountId),
            "requestTimeEpoch": .integer(exchange.startWallMillis),
            "requestTime": .string(CommonLogTime.string(epochMillis: exchange.startWallMillis)),
            "identity": .object([
                "sourceIp": .string(clientAddress),
                "userAgent": exchange.head.headers.first(name: "user-agent").map(JSONValue.string) ?? .null,
            ]),
        ]
        if let deployment = rest.deployment { map["deploymentId"] = .string(deployment.deploymentId) }
        if let method = rest.method {
            map["resourceId"] = .string(method.resourceId)
            map["resourcePath"] = .string(method.resourcePath)
        }
        // AWS: present only on a stage with a canary; true when the canary serves the request.
        if rest.stage?.canary != nil { map["isCanaryRequest"] = .bool(rest.deployment?.isCanary == true) }
        return map
    }

    func templateContext(body: [UInt8], error: (GatewayResponseType, String)? = nil) -> MappingTemplateContext {
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

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
