import Foundation
import NIOCore
import NIOHTTP1
import PorticoModel
import PorticoRuntime
import PorticoTemplates

extension RestPipeline {
    /// `HTTP_PROXY`: the backend's status, headers (less hop-by-hop ones) and body as they are.
    /// The headers stay as the bytes received (``RestResponse/forwarded``).
    func proxyResponse(_ response: RestUpstreamCall.Response) -> RestResponse {
        if let raw = response.raw {
            return RestResponse(status: raw.status, headers: [], body: response.body, forwarded: raw)
        }
        var headers: [(String, String)] = []
        headers.reserveCapacity(response.head.headers.count)
        for (name, value) in response.head.headers {
            switch HeaderName.classify(name) {
            case .connection, .hopByHop, .transferEncoding, .contentLength: continue
            default: headers.append((name, value))
            }
        }
        return RestResponse(status: response.status, headers: headers, body: response.body)
    }

    /// Timeouts answer 504 "Endpoint request timed out" (INTEGRATION_TIMEOUT); a backend that
    /// cannot be reached answers 500 "Internal server error", as AWS does for HTTP integrations
    /// ("Execution failed due to configuration error"); a response over the payload quota too.
    func integrationFailure(_ failure: RestUpstreamCall.Failure) -> RestResponse {
        switch failure {
        case .timedOut:
            exchange.integrationError = "timeout"
            return gatewayResponse(.integrationTimeout, message: "Endpoint request timed out")
        case .failed(let reason):
            exchange.integrationError = reason
            exchange.errorMessage = reason
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        case .tooLarge:
            exchange.integrationError = "the integration response exceeds the payload limit"
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        }
    }

    /// `MOCK`: the request template's output names the status (`{"statusCode": 200}`) that
    /// selects the integration response; with no template, the default response answers (AWS:
    /// "you can have the mock integration return the default integration response without
    /// defining an integration request mapping template").
    func mockResponse(_ integration: RestRuntimeIntegration, _ prepared: PreparedRequest) -> RestResponse {
        let entry: RestIntegrationResponses.Entry?
        if prepared.transformed {
            guard case .object(let members)? = JSONValue.parse(prepared.body), let status = Self.statusText(members["statusCode"]) else {
                exchange.errorMessage = "the MOCK request template did not produce a statusCode"
                return gatewayResponse(.apiConfigurationError, message: "Internal server error")
            }
            entry = integration.responses.select(status)
        } else {
            entry = integration.responses.defaultEntry
        }
        return integrationResponse(entry, backend: nil)
    }

    static func statusText(_ value: JSONValue?) -> String? {
        switch value {
        case .integer(let number): String(number)
        case .string(let text): text
        case .number(let number) where number == number.rounded(): String(Int(number))
        default: nil
        }
    }

    /// The method response from an integration response: its status, mapped headers, and the
    /// body through the response template chosen by `Accept` (or passed through).
    func integrationResponse(_ entry: RestIntegrationResponses.Entry?, backend: RestUpstreamCall.Response?) -> RestResponse {
        guard let entry else {
            // AWS: "No match for output mapping and no default output mapping configured".
            exchange.errorMessage = "no integration response matches and none is the default"
            return gatewayResponse(.apiConfigurationError, message: "Internal server error")
        }
        let backendBody = backend?.body ?? []
        let backendJSON = entry.readsResponseBody ? JSONValue.parse(backendBody) : nil
        var status = entry.statusCode
        var headers: [(String, String)] = []
        for (name, source) in entry.headers {
            if let value = value(source, backend: backend, backendJSON: backendJSON) { headers.append((name, value)) }
        }
        let isBinary = rest.deployment?.binaryMediaTypes.contains(backend?.head.headers.first(name: "content-type")) ?? false
        var body = Self.convert(backendBody, isBinary: isBinary, contentHandling: entry.contentHandling)
        var contentType = "application/json"
        if let (templateType, template) = entry.template(accept: exchange.head.headers.first(name: "accept")) {
            do {
                let result = try template.render(context: templateContext(body: body))
                body = Array(result.body.utf8)
                contentType = templateType
                for (name, value) in result.responseOverride.header {
                    headers.removeAll { $0.0.lowercased() == name.lowercased() }
                    headers.append((name, value))
                }
                if let override = result.statusOverride { status = override }
            } catch {
                exchange.errorMessage = "response template failed: \(error)"
                return gatewayResponse(.apiConfigurationError, message: "Internal server error")
            }
        }
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { headers.append(("Content-Type", contentType)) }
        return RestResponse(status: status, headers: headers, body: body)
    }
}
