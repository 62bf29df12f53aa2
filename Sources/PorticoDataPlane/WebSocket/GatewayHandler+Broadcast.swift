import NIOCore
import NIOHTTP1
import NIOWebSocket
import PorticoModel
import PorticoRuntime

/// One of Portico's calls beside `@connections` (docs/WEBSOCKET_APIS.md, "Broadcast and groups"; AWS has
/// none, so its users loop over connection ids themselves):
///
/// | call | answer |
/// |---|---|
/// | `POST {stage}/@broadcast` | sends the body to every connection of the stage: `200 {"sent": n, "dropped": m}` |
/// | `PUT {stage}/@groups/{group}/{connectionId}` | puts the connection in the group: 204 |
/// | `DELETE {stage}/@groups/{group}/{connectionId}` | takes it out: 204 (also when it was not in it) |
/// | `POST {stage}/@groups/{group}` | sends the body to every connection of the group: `200 {"sent": n, "dropped": m}` |
/// | `GET {stage}/@groups/{group}` | `200 {"connectionIds": [...]}` |
///
/// Signed with SigV4 exactly as `@connections` is (``GatewayHandler/authorizeConnections(_:stage:body:resource:)``),
/// for `execute-api:ManageConnections` on `{apiId}/{stage}/POST/@broadcast` or `{apiId}/{stage}/{METHOD}/@groups/{group}`
/// (the group's real name, so a policy can grant single groups). A connection that is closed, unknown or of
/// another stage is `410 GoneException`, as `@connections` answers; a group exists while it has members (an
/// unknown one has none), and connections leave their groups when they close.
enum WebSocketBroadcastCall: Sendable {
    case broadcast
    case group(String)
    case membership(group: String, connectionId: String)

    /// The end of the IAM resource ARN, after `{apiId}/{stage}/{METHOD}/`.
    var resource: String {
        switch self {
        case .broadcast: "@broadcast"
        case .group(let name), .membership(let name, _): "@groups/" + name
        }
    }

    func allows(_ method: HTTPMethod) -> Bool {
        switch self {
        case .broadcast: method == .POST
        case .group: method == .POST || method == .GET
        case .membership: method == .PUT || method == .DELETE
        }
    }
}

extension GatewayHandler {
    /// Starts a call when `path` is `/@broadcast` or under `/@groups/`; false for any other path.
    func startBroadcastCall(_ exchange: Exchange, stage: RuntimeStage, path: Substring) -> Bool {
        let call: WebSocketBroadcastCall
        if path == "/@broadcast" {
            call = .broadcast
        } else if path.hasPrefix("/@groups/") {
            let parts = path.dropFirst("/@groups/".count).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, WebSocketDirectory.isValidGroupName(parts[0]) else {
                exchange.deferred = .json(
                    .badRequest, body: #"{"message":"Invalid group name: 1 to 128 of A-Z a-z 0-9 - _ . :"}"#, amznErrorType: "BadRequestException")
                return true
            }
            if parts.count == 2 {
                guard !parts[1].isEmpty, let id = String(parts[1]).removingPercentEncoding else {
                    exchange.deferred = .notFound
                    return true
                }
                call = .membership(group: String(parts[0]), connectionId: id)
            } else {
                call = .group(String(parts[0]))
            }
        } else {
            return false
        }
        exchange.bufferedRequestBody = []
        exchange.webSocket = .broadcast(stage: stage, call)
        return true
    }

    func answerBroadcastCall(_ exchange: Exchange, stage: RuntimeStage, call: WebSocketBroadcastCall) {
        guard let context else { return }
        let method = exchange.head.method
        let body = exchange.bufferedRequestBody ?? []
        exchange.bufferedRequestBody = nil
        guard call.allows(method) else {
            respond(.notFound, exchange)
            return
        }
        // IAM first, as for @connections: a refused caller learns nothing about connections or groups.
        if let refusal = authorizeConnections(exchange, stage: stage, body: body, resource: call.resource) {
            exchange.errorMessage = refusal.message
            respond(refusal, exchange)
            return
        }
        let key = WebSocketDirectory.StageKey(apiId: stage.apiId, stage: stage.name)
        let directory = state.webSockets
        var target: String?
        switch call {
        case .membership(let group, let connectionId):
            let change =
                method == .PUT
                ? directory.join(connectionId, group: group, stage: key) : directory.leave(connectionId, group: group, stage: key)
            switch change {
            case .done: respond(.json(.noContent, body: nil, amznErrorType: nil), exchange)
            case .gone: respond(.gone, exchange)
            case .tooManyGroups:
                let message = "A connection can be in at most \(WebSocketDirectory.maxGroupsPerConnection) groups"
                respond(.json(.badRequest, body: "{\"message\":\"\(message)\"}", amznErrorType: "LimitExceededException"), exchange)
            }
            return
        case .group(let group) where method == .GET:
            var json = JSONBytes(buffer: ByteBuffer())
            json.beginObject()
            json.key("connectionIds")
            json.beginArray()
            for id in directory.memberIds(of: key, group: group) { json.string(id) }
            json.endArray()
            json.endObject()
            respond(.json(.ok, body: String(buffer: json.buffer), amznErrorType: nil), exchange)
            return
        case .group(let group):
            target = group
        case .broadcast:
            break
        }
        guard body.count <= configuration.webSocket.maxMessageBytes else {
            respond(.json(.payloadTooLarge, body: #"{"message":"Message too large"}"#, amznErrorType: "PayloadTooLargeException"), exchange)
            return
        }
        let metrics = stage.webSocket?.metrics
        Self.fanOut(body, to: directory.members(of: key, group: target), on: context.eventLoop).assumeIsolated().whenComplete { result in
            guard self.exchange === exchange, !exchange.responseHeadSent else { return }
            switch result {
            case .success(let counts):
                if counts.dropped > 0 { metrics?.droppedMessages(counts.dropped) }
                self.respond(.json(.ok, body: "{\"sent\":\(counts.sent),\"dropped\":\(counts.dropped)}", amznErrorType: nil), exchange)
            case .failure:
                self.respond(.json(.internalServerError, body: #"{"message":"Internal server error"}"#, amznErrorType: nil), exchange)
            }
        }
    }

    /// Sends one message to `members`: one task per event loop that holds some of them (not one hop per
    /// connection), every frame sharing one payload buffer; text when it is valid UTF-8, binary otherwise.
    static func fanOut(
        _ payload: [UInt8], to members: [NIOLoopBound<WebSocketConnection>], on eventLoop: any EventLoop
    ) -> EventLoopFuture<(sent: Int, dropped: Int)> {
        guard !members.isEmpty else { return eventLoop.makeSucceededFuture((0, 0)) }
        let buffer = ByteBuffer(bytes: payload)
        let opcode: WebSocketOpcode = String(validating: payload, as: UTF8.self) == nil ? .binary : .text
        let byLoop = Dictionary(grouping: members) { ObjectIdentifier($0.eventLoop) }
        let sends = byLoop.values.map { connections in
            connections[0].eventLoop.submit {
                var sent = 0
                var dropped = 0
                for connection in connections {
                    switch connection.value.sendShared(buffer, opcode: opcode) {
                    case .sent: sent += 1
                    case .dropped: dropped += 1
                    case .gone: break
                    }
                }
                return (sent: sent, dropped: dropped)
            }
        }
        return EventLoopFuture.whenAllSucceed(sends, on: eventLoop).map { counts in
            counts.reduce((sent: 0, dropped: 0)) { ($0.sent + $1.sent, $0.dropped + $1.dropped) }
        }
    }
}
