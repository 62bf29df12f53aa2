import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// The Lambda proxy events of WebSocket APIs, in the shape AWS sends (Powertools' recorded
/// events, /work/shared/aws-events/powertools-apiGatewayWebSocketApi*.json): `$connect` carries
/// the handshake's headers and query string, messages the `body`, `$disconnect` the close code
/// and reason. Members AWS leaves out (`messageId` outside messages, `disconnect*` outside
/// `$disconnect`) are left out here too.
struct WebSocketEvent {
    enum Kind {
        case connect(headers: HTTPHeaders, rawQuery: Substring)
        case message(messageId: String, body: [UInt8], isBinary: Bool)
        case disconnect(statusCode: Int, reason: String, headers: HTTPHeaders)
    }

    var kind: Kind
    var routeKey: String
    var requestId: String
    var requestTimeEpochMillis: Int64
    var connection: WebSocketConnectionInfo
    var stageVariables: [String: String]

    var eventType: String {
        switch kind {
        case .connect: "CONNECT"
        case .message: "MESSAGE"
        case .disconnect: "DISCONNECT"
        }
    }

    func write(into buffer: inout ByteBuffer) {
        var json = JSONBytes(buffer: buffer)
        json.beginObject()
        switch kind {
        case .connect(let headers, let rawQuery):
            Self.writeHeaders(headers, into: &json)
            let query = LambdaProxyEvent.groupedQuery(rawQuery)
            if !query.isEmpty {
                LambdaProxyEvent.writeValueGroups(
                    query, single: "queryStringParameters", multi: "multiValueQueryStringParameters", nullWhenEmpty: false, into: &json)
            }
        case .disconnect(_, _, let headers):
            Self.writeHeaders(headers, into: &json)
        case .message:
            break
        }
        if !stageVariables.isEmpty {
            json.key("stageVariables")
            json.beginObject()
            for (name, value) in stageVariables.sorted(by: { $0.key < $1.key }) { json.member(name, value) }
            json.endObject()
        }
        json.key("requestContext")
        json.beginObject()
        json.member("routeKey", routeKey)
        if case .message(let messageId, _, _) = kind { json.member("messageId", messageId) }
        if case .disconnect(let code, _, _) = kind {
            json.key("disconnectStatusCode")
            json.integer(Int64(code))
        }
        json.member("eventType", eventType)
        json.member("extendedRequestId", requestId)
        json.member("requestTime", CommonLogTime.string(epochMillis: requestTimeEpochMillis))
        json.member("messageDirection", "IN")
        if case .disconnect(_, let reason, _) = kind { json.member("disconnectReason", reason) }
        json.member("stage", connection.stage)
        json.key("connectedAt")
        json.integer(connection.connectedAtMillis)
        json.key("requestTimeEpoch")
        json.integer(requestTimeEpochMillis)
        json.key("identity")
        json.beginObject()
        if let iam = connection.iam {
            // The IAM members of REST's payload 1.0 identity, for a connection whose `$connect`
            // was signed (`AWS_IAM`); AWS's exact WebSocket members for it are not recorded (a guess).
            json.member("accessKey", iam.accessKeyId)
            json.member("accountId", iam.accountId)
            json.member("caller", iam.userId)
            json.member("user", iam.userId)
            json.member("userArn", iam.userArn)
        }
        if let userAgent = connection.userAgent { json.member("userAgent", userAgent) }
        json.member("sourceIp", connection.sourceIp)
        json.endObject()
        if let authorizer = connection.authorizer {
            // As REST's payload 1.0 passes it on: `principalId`, the context's values and
            // `integrationLatency` (AWS's WebSocket events with an authorizer are not recorded; a guess).
            json.key("authorizer")
            json.beginObject()
            if let principalId = authorizer.principalId { json.member("principalId", principalId) }
            for (name, value) in authorizer.context.sorted(by: { $0.key < $1.key }) {
                json.key(name)
                json.value(value)
            }
            json.key("integrationLatency")
            json.integer(authorizer.latencyMillis)
            json.endObject()
        }
        json.member("requestId", requestId)
        json.member("domainName", connection.domainName)
        json.member("connectionId", connection.connectionId)
        json.member("apiId", connection.apiId)
        json.endObject()
        if case .message(_, let body, let isBinary) = kind {
            json.key("body")
            if isBinary {
                json.string(Data(body).base64EncodedString())
            } else {
                json.string(bytes: body)
            }
            json.key("isBase64Encoded")
            json.bool(isBinary)
        } else {
            json.key("isBase64Encoded")
            json.bool(false)
        }
        json.endObject()
        buffer = json.buffer
    }

    private static func writeHeaders(_ headers: HTTPHeaders, into json: inout JSONBytes) {
        LambdaProxyEvent.writeValueGroups(
            LambdaProxyEvent.groupedHeaders(headers, lowercased: false), single: "headers", multi: "multiValueHeaders",
            nullWhenEmpty: false, into: &json)
    }
}

/// What the events and `@connections` GET say about a connection.
struct WebSocketConnectionInfo: Sendable {
    var connectionId: String
    var apiId: String
    var stage: String
    var domainName: String
    var sourceIp: String
    var userAgent: String?
    var connectedAtMillis: Int64
    /// The IAM user who signed the handshake of an `AWS_IAM` `$connect`: in every event of the connection.
    var iam: IamCredentialTable.Principal?
    /// What the `$connect` Lambda authorizer allowed: in every event of the connection.
    var authorizer: WebSocketAuthorization?
    /// The API key the connection presents (`x-api-key` of its handshake, or its authorizer's
    /// `usageIdentifierKey`), for routes with `apiKeyRequired`. Never logged.
    var apiKey: String?
    /// `$context.accountId` of the connection's access-log lines.
    var accountId = ""
}
