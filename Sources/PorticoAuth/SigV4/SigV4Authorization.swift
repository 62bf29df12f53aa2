import Foundation
import PorticoModel

/// What a request presents as its SigV4 signature, from either the `Authorization` header or the
/// `X-Amz-*` query parameters of a presigned URL, before anything is checked against a secret.
struct SigV4Authorization: Sendable, Equatable {
    enum Form: Sendable, Equatable {
        /// `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
        case header
        /// `?X-Amz-Algorithm=...&X-Amz-Credential=...&X-Amz-Signature=...` (a presigned URL).
        case query
    }

    var form: Form
    var algorithm: String
    var credential: String
    /// Lower-case names, in the order the client listed them.
    var signedHeaders: [String]
    var signature: String
    /// The raw date the signature was made at: `X-Amz-Date` (header or query), else `Date`.
    var date: String
    /// Whether ``date`` came from an HTTP `Date` header rather than `X-Amz-Date`.
    var dateIsHTTPDate: Bool
    /// The raw `X-Amz-Expires` of a presigned URL.
    var expires: String?
    /// `X-Amz-Security-Token` (header, or query of a presigned URL): the session token that temporary
    /// credentials (`ASIA...` keys) must come with.
    var securityToken: String? = nil

    /// Reads the signature out of `request`, failing the way AWS fails when a part is missing.
    ///
    /// The order follows AWS (recorded in mhart/dynalite): both forms at once, then neither, then
    /// missing parts.
    static func extract(from request: SigV4Request) throws(APIError) -> SigV4Authorization {
        let authorization = request.headers.first { $0.name.lowercased() == "authorization" }?.value
            .trimmingCharacters(in: .whitespaces)
        let hasHeader = !(authorization ?? "").isEmpty
        let query = queryParameters(request.query)
        let hasQuery = query["X-Amz-Algorithm"] != nil
        if hasHeader && hasQuery { throw .sigV4BothAuthorizationForms() }
        if let authorization, hasHeader { return try fromHeader(authorization, headers: request.headers) }
        if hasQuery { return try fromQuery(query) }
        throw .sigV4MissingAuthenticationToken()
    }

    /// Whether the client signed `Host` (or HTTP/2's `:authority`), which AWS requires so that a
    /// signature cannot be replayed against another host.
    var signsHost: Bool { signedHeaders.contains("host") || signedHeaders.contains(":authority") }

    private static func fromHeader(
        _ authorization: String, headers: [(name: String, value: String)]
    ) throws(APIError) -> SigV4Authorization {
        // "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=x;y, Signature=f": the algorithm
        // up to the first blank, then key=value components separated by commas and/or blanks.
        let algorithmEnd = authorization.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? authorization.endIndex
        let algorithm = String(authorization[..<algorithmEnd])
        var components: [String: String] = [:]
        for component in authorization[algorithmEnd...].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            guard let equals = component.firstIndex(of: "=") else {
                throw .sigV4MissingEqualSign(authorization: authorization)
            }
            let key = String(component[..<equals])
            if components[key] == nil { components[key] = String(component[component.index(after: equals)...]) }
        }
        let amzDate = headers.first { $0.name.lowercased() == "x-amz-date" }?.value
        let httpDate = headers.first { $0.name.lowercased() == "date" }?.value
        var missing = ""
        for name in ["Credential", "Signature", "SignedHeaders"] where (components[name] ?? "").isEmpty {
            missing += "Authorization header requires '\(name)' parameter. "
        }
        let date = amzDate ?? httpDate
        if date == nil {
            missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        }
        guard missing.isEmpty, let date else {
            throw .sigV4IncompleteAuthorizationHeader(missing: missing, authorization: authorization)
        }
        return SigV4Authorization(
            form: .header,
            algorithm: algorithm,
            credential: components["Credential"] ?? "",
            signedHeaders: splitSignedHeaders(components["SignedHeaders"] ?? ""),
            signature: components["Signature"] ?? "",
            date: date.trimmingCharacters(in: .whitespaces),
            dateIsHTTPDate: amzDate == nil,
            expires: nil,
            securityToken: headers.first { $0.name.lowercased() == "x-amz-security-token" }?.value)
    }

    private static func fromQuery(_ query: [String: String]) throws(APIError) -> SigV4Authorization {
        let required = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"]
        let missing = required.filter { (query[$0] ?? "").isEmpty }
        if !missing.isEmpty { throw .sigV4IncompleteQuery(missing: missing) }
        return SigV4Authorization(
            form: .query,
            algorithm: query["X-Amz-Algorithm"] ?? "",
            credential: query["X-Amz-Credential"] ?? "",
            signedHeaders: splitSignedHeaders(query["X-Amz-SignedHeaders"] ?? ""),
            signature: query["X-Amz-Signature"] ?? "",
            date: query["X-Amz-Date"] ?? "",
            dateIsHTTPDate: false,
            expires: query["X-Amz-Expires"],
            securityToken: query["X-Amz-Security-Token"])
    }

    private static func splitSignedHeaders(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.lowercased() }
    }

    /// The decoded query parameters; the first occurrence of a name wins.
    private static func queryParameters(_ rawQuery: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for component in rawQuery.split(separator: "&") {
            let equals = component.firstIndex(of: "=") ?? component.endIndex
            let name = String(decoding: SigV4PercentEncoding.decodeQueryComponent(component[..<equals]), as: UTF8.self)
            let rawValue = equals == component.endIndex ? Substring() : component[component.index(after: equals)...]
            if parameters[name] == nil {
                parameters[name] = String(decoding: SigV4PercentEncoding.decodeQueryComponent(rawValue), as: UTF8.self)
            }
        }
        return parameters
    }
}
