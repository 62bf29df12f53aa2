public import PorticoModel

/// A compact JWS (`header.payload.signature`, RFC 7515 §7.1) taken apart but not yet trusted.
/// Parsing is strict: exactly three base64url parts without padding, a header and a payload that
/// are JSON objects, and a total size within ``maxTokenBytes``.
///
/// A class: a parsed token is handed along the whole authorization path (and kept by the
/// verified-token cache), and as a struct each hand-over retained its four references.
public final class CompactJWS: Sendable {
    /// AWS caps a request's header and request line at 10,240 bytes; a token is a part of that.
    public static let maxTokenBytes = 8_192
    /// Header and payload objects nest no deeper than this (claims are flat in practice).
    static let maxDepth = 16

    public let header: [String: JSONValue]
    public let claims: [String: JSONValue]
    /// `base64url(header) "." base64url(payload)`: the bytes the signature covers.
    let signingInput: Substring.UTF8View
    let signature: [UInt8]

    init(header: [String: JSONValue], claims: [String: JSONValue], signingInput: Substring.UTF8View, signature: [UInt8]) {
        self.header = header
        self.claims = claims
        self.signingInput = signingInput
        self.signature = signature
    }

    public static func parse(_ token: Substring) -> Result<CompactJWS, JWTFailure> {
        let utf8 = token.utf8
        guard !utf8.isEmpty, utf8.count <= maxTokenBytes else { return .failure(.malformed) }
        var dots: [String.Index] = []
        for index in utf8.indices where utf8[index] == UInt8(ascii: ".") {
            dots.append(index)
            if dots.count > 2 { return .failure(.malformed) }  // a JWE (five parts) or worse
        }
        guard dots.count == 2 else { return .failure(.malformed) }
        let headerText = utf8[utf8.startIndex..<dots[0]]
        let payloadText = utf8[utf8.index(after: dots[0])..<dots[1]]
        let signatureText = utf8[utf8.index(after: dots[1])...]
        guard !headerText.isEmpty, !payloadText.isEmpty, !signatureText.isEmpty,
            let headerBytes = Base64URL.decode(headerText), let payloadBytes = Base64URL.decode(payloadText),
            let signature = Base64URL.decode(signatureText),
            case .object(let header)? = JSONParser.parse(headerBytes, maxDepth: maxDepth),
            case .object(let claims)? = JSONParser.parse(payloadBytes, maxDepth: maxDepth)
        else { return .failure(.malformed) }
        return .success(CompactJWS(header: header, claims: claims, signingInput: utf8[utf8.startIndex..<dots[1]], signature: signature))
    }
}
