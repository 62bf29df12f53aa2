import Foundation
import NIOCore
import NIOPosix
import PorticoLambda
import PorticoModel
import PorticoStore

/// Invoke (`POST /2015-03-31/functions/{FunctionName}/invocations`, AWS_FACTS L3): checks the
/// request as Lambda does, hands it to the function host, and answers the host's outcome in the
/// Invoke API's shape: 200/202/204 with `X-Amz-Function-Error`, `X-Amz-Log-Result` and
/// `X-Amz-Executed-Version`, or a refusal (`.rejected`) as Lambda's error.
enum LambdaInvokeOperation {
    static func register(into router: inout Router<Operation>) {
        router.add("POST", "/2015-03-31/functions/{FunctionName}/invocations", invoke)
    }

    /// Lambda's payload quotas: 6 MB for a synchronous invocation, 1 MB for an asynchronous one.
    static let maxSyncPayloadBytes = 6_291_456
    static let maxAsyncPayloadBytes = 1_048_576

    @Sendable static func invoke(_ context: OperationContext) async throws -> ManagementResponse {
        let reference = try context.functionReference()
        let request = context.request
        let typeText = request.header("x-amz-invocation-type") ?? "RequestResponse"
        guard let invocationType = LambdaInvocationType(rawValue: typeText) else {
            throw LambdaErrors.validation([
                "Value '\(typeText)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
            ])
        }
        let logType = request.header("x-amz-log-type") ?? "None"
        guard logType == "None" || logType == "Tail" else {
            throw LambdaErrors.validation([
                "Value '\(logType)' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]"
            ])
        }
        let limit = invocationType == .event ? maxAsyncPayloadBytes : maxSyncPayloadBytes
        guard request.body.count <= limit else {
            // AWS's wording (the operation's internal name is InvokeFunction).
            throw APIError(
                status: 413, type: "RequestTooLargeException",
                message: "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
        }
        try checkPayload(request.body)

        let functionName: String
        do {
            functionName = try await context.transaction { transaction in try context.lambdaFunction(transaction, reference) }.functionName
        } catch let error as APIError where error.status == 404 {
            // A function declared in Portico's config file runs on the host without being stored.
            guard let lookup = context.functionHost as? any LambdaFunctionLookup, reference.isLatest,
                lookup.hasFunction(named: reference.name)
            else { throw error }
            functionName = reference.name
        }
        if invocationType == .dryRun {
            // DryRun only checks the request and the caller's permission to invoke.
            return ManagementResponse(status: 204, headers: [("X-Amz-Executed-Version", "$LATEST")])
        }
        let invocation = LambdaInvocation(
            functionName: functionName, qualifier: reference.qualifier,
            payload: ByteBuffer(bytes: request.body), invocationType: invocationType,
            tailLog: logType == "Tail" && invocationType == .requestResponse,
            clientContext: request.header("x-amz-client-context"), traceId: request.header("x-amzn-trace-id"))
        let eventLoop = context.eventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
        let outcome = try await context.functionHost.invoke(invocation, on: eventLoop).get()
        switch outcome {
        case .rejected(let error):
            // Answered here rather than thrown, to keep a throttle's `Reason` member.
            return .lambdaError(APIError(status: error.statusCode, type: error.type, message: error.message), reason: error.reason)
        case .completed(let response):
            var headers: [(name: String, value: String)] = [("X-Amz-Executed-Version", response.executedVersion)]
            if let functionError = response.functionError { headers.append(("X-Amz-Function-Error", functionError)) }
            if let logResult = response.logResult { headers.append(("X-Amz-Log-Result", logResult)) }
            // Lambda answers Invoke with the invocation's own request id (the one in its log lines).
            if let requestId = response.requestId { headers.append(("x-amzn-RequestId", requestId)) }
            let body = Array(response.payload.readableBytesView)
            if !body.isEmpty { headers.append(("Content-Type", ManagementResponse.jsonContentType)) }
            return ManagementResponse(status: response.statusCode, headers: headers, body: body)
        }
    }

    /// Lambda accepts an empty payload or JSON; anything else is `InvalidRequestContentException`.
    static func checkPayload(_ body: [UInt8]) throws(APIError) {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            // AWS's prefix; what follows it on AWS is the Jackson parser's own message.
            throw APIError(
                status: 400, type: "InvalidRequestContentException",
                message: "Could not parse request body into json: Could not parse payload into json: the payload is not valid JSON.")
        }
    }
}
