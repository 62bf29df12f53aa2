import Foundation
import PorticoModel
import PorticoStore

/// `apigatewayv2` CreateAuthorizer, GetAuthorizers, GetAuthorizer, UpdateAuthorizer,
/// DeleteAuthorizer for HTTP APIs: Lambda (`REQUEST`) and `JWT` authorizers
/// (docs/LAMBDA_AUTHORIZERS.md, docs/JWT_AUTHORIZERS.md).
enum AuthorizerOperations {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/v2/apis/{apiId}/authorizers", createAuthorizer)
        router.add("GET", "/v2/apis/{apiId}/authorizers", getAuthorizers)
        router.add("GET", "/v2/apis/{apiId}/authorizers/{authorizerId}", getAuthorizer)
        router.add("PATCH", "/v2/apis/{apiId}/authorizers/{authorizerId}", updateAuthorizer)
        router.add("DELETE", "/v2/apis/{apiId}/authorizers/{authorizerId}", deleteAuthorizer)
    }

    @Sendable static func createAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let body = try context.body()
        var template = Authorizer(
            authorizerId: "", authorizerType: try body.required("authorizerType", body.string("authorizerType")),
            name: try body.required("name", body.string("name")))
        try applyMembers(body, to: &template)
        applyDefaults(to: &template)
        let checked = template
        let created = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            try validate(checked, webSocket: old.api.protocolType == .websocket)
            var document = old
            var authorizer = checked
            authorizer.authorizerId = Identifier.random(length: Identifier.authorizerLength)
            while document.authorizer(authorizer.authorizerId) != nil {
                authorizer.authorizerId = Identifier.random(length: Identifier.authorizerLength)
            }
            document.authorizers.append(authorizer)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return authorizer
        }
        return try .json(201, created)
    }

    @Sendable static func getAuthorizers(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let query = try context.query()
        let authorizers = try await context.transaction { transaction in try context.document(transaction, apiId).authorizers }
        let page = try Pagination.page(
            authorizers, kind: "authorizers", key: \.authorizerId, maxResults: query.first("maxResults"), nextToken: query.first("nextToken"))
        return try .json(200, ListPage(items: page.items, nextToken: page.nextToken))
    }

    @Sendable static func getAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let authorizerId = context.parameter("authorizerId")
        let authorizer = try await context.transaction { transaction in
            guard let authorizer = try context.document(transaction, apiId).authorizer(authorizerId) else {
                throw AWSMessages.authorizerNotFound(authorizerId)
            }
            return authorizer
        }
        return try .json(200, authorizer)
    }

    @Sendable static func updateAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let authorizerId = context.parameter("authorizerId")
        let body = try context.body()
        let updated = try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.authorizers.firstIndex(where: { $0.authorizerId == authorizerId }) else {
                throw AWSMessages.authorizerNotFound(authorizerId)
            }
            var authorizer = document.authorizers[index]
            if let type = try body.string("authorizerType") { authorizer.authorizerType = type }
            if let name = try body.string("name") { authorizer.name = name }
            try applyMembers(body, to: &authorizer)
            applyDefaults(to: &authorizer)
            try validate(authorizer, webSocket: document.api.protocolType == .websocket)
            document.authorizers[index] = authorizer
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
            return authorizer
        }
        return try .json(200, updated)
    }

    @Sendable static func deleteAuthorizer(_ context: OperationContext) async throws -> ManagementResponse {
        let apiId = context.parameter("apiId")
        let authorizerId = context.parameter("authorizerId")
        try await context.transaction { transaction in
            let old = try context.document(transaction, apiId)
            var document = old
            guard let index = document.authorizers.firstIndex(where: { $0.authorizerId == authorizerId }) else {
                throw AWSMessages.authorizerNotFound(authorizerId)
            }
            let name = document.authorizers[index].name
            // AWS: "ConflictException: Cannot delete authorizer {name}, is referenced in route: $default".
            if let route = document.routes.first(where: { $0.authorizerId == authorizerId }) {
                throw APIError.conflict("Cannot delete authorizer \(name), is referenced in route: \(route.routeKey)")
            }
            document.authorizers.remove(at: index)
            try Deployer.save(document, replacing: old, now: context.now, transaction: transaction)
        }
        return .noContent
    }

    static func applyMembers(_ body: JSONBody, to authorizer: inout Authorizer) throws(APIError) {
        if let value = try body.string("authorizerCredentialsArn") { authorizer.authorizerCredentialsArn = value }
        if let value = try body.string("authorizerPayloadFormatVersion") { authorizer.authorizerPayloadFormatVersion = value }
        if let value = try body.integer("authorizerResultTtlInSeconds") { authorizer.authorizerResultTtlInSeconds = value }
        if let value = try body.string("authorizerUri") { authorizer.authorizerUri = value }
        if let value = try body.bool("enableSimpleResponses") { authorizer.enableSimpleResponses = value }
        if let value = try body.stringList("identitySource") { authorizer.identitySource = value }
        if let value = try body.string("identityValidationExpression") { authorizer.identityValidationExpression = value }
        if let jwt = try body.object("jwtConfiguration") {
            // UpdateAuthorizer replaces the members it is given and keeps the others.
            var configuration = authorizer.jwtConfiguration ?? JwtConfiguration()
            if let value = try jwt.stringList("audience") { configuration.audience = value }
            if let value = try jwt.string("issuer") { configuration.issuer = value }
            authorizer.jwtConfiguration = configuration
        }
    }

    /// A JWT authorizer without an identity source reads `Authorization` (the console's default).
    static func applyDefaults(to authorizer: inout Authorizer) {
        if authorizer.authorizerType == "JWT", authorizer.identitySource?.isEmpty ?? true {
            authorizer.identitySource = ["$request.header.Authorization"]
        }
    }

    /// AWS's rules for Lambda authorizers of HTTP APIs (developer guide, "Working with AWS Lambda
    /// authorizers for HTTP APIs"); the wording is Portico's, the type and status AWS's.
    static func validate(_ authorizer: Authorizer, webSocket: Bool = false) throws(APIError) {
        if webSocket {
            try validateWebSocket(authorizer)
            return
        }
        switch authorizer.authorizerType {
        case "REQUEST": break
        case "JWT":
            if authorizer.name.isEmpty { throw .badRequest("Authorizer name must be specified") }
            try validateJwt(authorizer)
            return
        default: throw .badRequest("Invalid authorizer type \(authorizer.authorizerType). Valid options are REQUEST, JWT")
        }
        if authorizer.name.isEmpty { throw .badRequest("Authorizer name must be specified") }
        guard let uri = authorizer.authorizerUri, uri.contains(":function:") else {
            throw .badRequest("AuthorizerUri must be a Lambda function invocation URI for REQUEST authorizers")
        }
        guard let version = authorizer.authorizerPayloadFormatVersion, ["1.0", "2.0"].contains(version) else {
            throw .badRequest("AuthorizerPayloadFormatVersion is required for REQUEST authorizers and must be 1.0 or 2.0")
        }
        if authorizer.enableSimpleResponses == true, version != "2.0" {
            throw .badRequest("EnableSimpleResponses is only supported for authorizer payload format version 2.0")
        }
        let ttl = authorizer.authorizerResultTtlInSeconds ?? 0
        guard (0...3600).contains(ttl) else { throw .badRequest("AuthorizerResultTtlInSeconds must be between 0 and 3600") }
        let sources = authorizer.identitySource ?? []
        if ttl > 0, sources.isEmpty { throw .badRequest("IdentitySource is required when authorizer caching is enabled") }
        for source in sources where HttpIdentitySource(expression: source) == nil {
            throw .badRequest("Invalid identity source expression: \(source)")
        }
    }

    /// WebSocket APIs have Lambda `REQUEST` authorizers only, without a payload format version or
    /// simple responses (they answer an IAM policy), with identity sources in the
    /// `route.request.header.X` syntax (AWS CLI reference, `create-authorizer`). Wordings are Portico's.
    static func validateWebSocket(_ authorizer: Authorizer) throws(APIError) {
        guard authorizer.authorizerType == "REQUEST" else {
            throw .badRequest("Invalid authorizer type \(authorizer.authorizerType). WebSocket APIs support REQUEST authorizers only")
        }
        if authorizer.name.isEmpty { throw .badRequest("Authorizer name must be specified") }
        guard let uri = authorizer.authorizerUri, uri.contains(":function:") else {
            throw .badRequest("AuthorizerUri must be a Lambda function invocation URI for REQUEST authorizers")
        }
        if authorizer.enableSimpleResponses == true {
            throw .badRequest("EnableSimpleResponses is only supported for HTTP APIs")
        }
        if authorizer.jwtConfiguration != nil { throw .badRequest("JwtConfiguration is only supported for HTTP APIs") }
        let ttl = authorizer.authorizerResultTtlInSeconds ?? 0
        guard (0...3600).contains(ttl) else { throw .badRequest("AuthorizerResultTtlInSeconds must be between 0 and 3600") }
        let sources = authorizer.identitySource ?? []
        if ttl > 0, sources.isEmpty { throw .badRequest("IdentitySource is required when authorizer caching is enabled") }
        for source in sources where HttpIdentitySource(webSocketExpression: source) == nil {
            throw .badRequest("Invalid identity source expression: \(source)")
        }
    }

    /// AWS's rules for JWT authorizers (API reference, `JWTConfiguration`: issuer and audience are
    /// required for the JWT type; the identity source is a single header or query string). The
    /// wordings are Portico's guesses, the type and status AWS's. Portico also refuses an issuer
    /// that is not `https://`, as AWS does, except on a loopback host (for local identity
    /// providers and tests; docs/JWT_AUTHORIZERS.md).
    static func validateJwt(_ authorizer: Authorizer) throws(APIError) {
        guard let configuration = authorizer.jwtConfiguration, let issuer = configuration.issuer, !issuer.isEmpty else {
            throw .badRequest("JwtConfiguration.Issuer is required for JWT authorizers")
        }
        guard JwtIssuer.isAcceptable(issuer) else {
            throw .badRequest("Invalid issuer \(issuer). Issuer must be a valid https URL")
        }
        guard let audience = configuration.audience, !audience.isEmpty, !audience.contains(where: \.isEmpty) else {
            throw .badRequest("JwtConfiguration.Audience is required for JWT authorizers")
        }
        let sources = authorizer.identitySource ?? []
        guard sources.count == 1, let source = HttpIdentitySource(expression: sources[0]) else {
            throw .badRequest("JWT authorizers require exactly one identity source, a request header or query string")
        }
        switch source {
        case .header, .queryString: break
        default: throw .badRequest("Invalid identity source expression: \(sources[0]) for a JWT authorizer")
        }
    }
}
