public import Foundation

/// The one place that decides how dates and keys look on the wire and in the store: AWS's
/// `apigatewayv2` protocol uses ISO 8601 timestamps and camelCase keys.
public enum JSONCoding {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The encoder for `apigateway` (v1, REST API) responses: that protocol sends timestamps as
    /// epoch seconds, and the AWS SDK for Go v2 (Terraform) refuses ISO 8601 strings there.
    public static func epochEncoder() -> JSONEncoder {
        let encoder = encoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
