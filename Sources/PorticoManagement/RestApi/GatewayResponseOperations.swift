import Foundation
import PorticoModel
import PorticoStore

/// PutGatewayResponse, GetGatewayResponses, GetGatewayResponse, UpdateGatewayResponse,
/// DeleteGatewayResponse. Only customised responses are stored; reads show every type, with AWS's
/// defaults for the others (``GatewayResponse/effective(_:customised:)``).
enum GatewayResponseOperations {
    static let path = "/restapis/{restapi_id}/gatewayresponses/{response_type}"

    static func register(into router: inout Router<Operation>) {
        router.add("PUT", path, putGatewayResponse)
        router.add("GET", "/restapis/{restapi_id}/gatewayresponses", getGatewayResponses)
        router.add("GET", path, getGatewayResponse)
        router.add("PATCH", path, updateGatewayResponse)
        router.add("DELETE", path, deleteGatewayResponse)
    }

    /// `{response_type}`, checked against the enum first (a ValidationException, recorded).
    static func responseType(_ context: OperationContext) throws(APIError) -> GatewayResponseType {
        let text = context.parameter("response_type")
        guard let type = GatewayResponseType(rawValue: text) else { throw RestMessages.invalidGatewayResponseType(text) }
        return type
    }

    @Sendable static func putGatewayResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let type = try responseType(context)
        let body = try context.body()
        let statusCode = try body.string("statusCode")
        let parameters = try body.stringMap("responseParameters") ?? [:]
        let templates = try body.stringMap("responseTemplates")
        let response = try await context.changeRestDocument { document, _ in
            // Recorded: what the put leaves out takes the type's default (status, AWS's template).
            let response = GatewayResponse(
                responseType: type, statusCode: statusCode ?? type.defaultStatusCode, responseParameters: parameters,
                responseTemplates: templates ?? GatewayResponse.defaultTemplates, defaultResponse: false)
            document.gatewayResponses.removeAll { $0.responseType == type }
            document.gatewayResponses.append(response)
            return response
        }
        return try .restJSON(201, response)
    }

    @Sendable static func getGatewayResponses(_ context: OperationContext) async throws -> ManagementResponse {
        let customised = try await context.readRestDocument { document, _ in document.gatewayResponses }
        let all = GatewayResponseType.allCases.map { GatewayResponse.effective($0, customised: customised) }
        return try .restJSON(200, RestListPage(try context.restPage(all, kind: "gatewayresponses", key: \.responseType.rawValue)))
    }

    @Sendable static func getGatewayResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let type = try responseType(context)
        let customised = try await context.readRestDocument { document, _ in document.gatewayResponses }
        return try .restJSON(200, GatewayResponse.effective(type, customised: customised))
    }

    @Sendable static func updateGatewayResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let type = try responseType(context)
        let operations = try PatchOperation.read(try context.body(), input: "updateGatewayResponseInput")
        let updated = try await context.changeRestDocument { document, _ in
            // Updating a type still at its default customises it (recorded).
            var response = GatewayResponse.effective(type, customised: document.gatewayResponses)
            response.defaultResponse = false
            for operation in operations {
                try apply(operation, to: &response)
            }
            document.gatewayResponses.removeAll { $0.responseType == type }
            document.gatewayResponses.append(response)
            return response
        }
        return try .restJSON(200, updated)
    }

    /// `/statusCode` (replace only), `/responseParameters/{name}`, `/responseTemplates/{type}`;
    /// AWS's recorded answers for a missing path, a missing entry and an empty value.
    static func apply(_ operation: PatchOperation, to response: inout GatewayResponse) throws(APIError) {
        let segments = operation.segments
        switch (segments.first, segments.count) {
        case ("statusCode", 1):
            guard operation.op == .replace else { throw operation.invalidPath }
            response.statusCode = try operation.requiredValue()
        case ("responseParameters", 2), ("responseTemplates", 2):
            let member = segments[0]
            if operation.op != .remove, operation.value?.isEmpty ?? true {
                throw .badRequest("Invalid null or empty value in \(member)")
            }
            var map: [String: String]? = member == "responseParameters" ? response.responseParameters : response.responseTemplates
            try PatchMap.apply(operation, key: segments[1], to: &map, missing: RestMessages.parameterNotFound)
            if member == "responseParameters" {
                response.responseParameters = map ?? [:]
            } else {
                response.responseTemplates = map ?? [:]
            }
        default:
            throw operation.invalidPath
        }
    }

    @Sendable static func deleteGatewayResponse(_ context: OperationContext) async throws -> ManagementResponse {
        let type = try responseType(context)
        try await context.changeRestDocument { document, _ in
            guard document.gatewayResponses.contains(where: { $0.responseType == type }) else {
                throw RestMessages.gatewayResponseNotDefined
            }
            document.gatewayResponses.removeAll { $0.responseType == type }
        }
        return .accepted
    }
}
