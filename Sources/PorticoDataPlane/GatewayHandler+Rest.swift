import Logging
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoObservability
import PorticoRuntime

/// Requests to REST APIs, which `RestPipeline` answers once the body is in.
extension GatewayHandler {
    // MARK: REST APIs

    /// A REST API request: its body is buffered (templates, validation and mapping need all of
    /// it) and `RestPipeline` answers once it is in.
    func startRestExchange(_ exchange: Exchange, _ api: RestRuntimeApi, apiPath: Substring, query: Substring, domain: Substring) {
        exchange.domainName = domain
        exchange.rest = RestExchange(
            api: api, apiPath: apiPath, rawQuery: query, domainName: domain, head: exchange.head, ids: state.requestIds,
            startWallMillis: exchange.startWallMillis)
        exchange.bufferedRequestBody = []
    }

    func runRest(_ exchange: Exchange, _ rest: RestExchange) {
        rest.body = exchange.bufferedRequestBody ?? []
        exchange.bufferedRequestBody = nil
        let pipeline = RestPipeline(state: state, configuration: restSettings, clientAddress: clientAddress, exchange: exchange, rest: rest)
        // A backend call's timeout is the exchange's deadline, which the loop's tick checks.
        registerForDeadlines()
        // Strong capture, as for Lambda calls: the pipeline always answers.
        pipeline.run { response in
            guard self.exchange === exchange, self.context != nil, !exchange.responseHeadSent else { return }
            if let minimumSize = rest.deployment?.minimumCompressionSize {
                response.compress(acceptEncoding: exchange.head.headers["accept-encoding"], minimumSize: minimumSize)
            }
            let keepAlive = exchange.keepAlive && !self.closeAfterResponse
            exchange.responseHeadSent = true
            exchange.responseStatus = response.status
            exchange.errorType = response.errorType
            if exchange.errorMessage == nil { exchange.errorMessage = response.errorMessage }
            exchange.responseFraming = .raw
            let sendsBody = exchange.head.method != .HEAD
            self.outbound.append { buffer in
                response.writeHead(into: &buffer, exchange: exchange, rest: rest, keepAlive: keepAlive)
                if sendsBody { buffer.writeBytes(response.body) }
            }
            exchange.responseBytes = response.body.count
            self.finish(exchange)
        }
    }
}
