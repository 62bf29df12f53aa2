/// Resource identifiers in the formats Amazon API Gateway uses: lower-case letters and digits,
/// 10 characters for an API id (`a1b2c3d4e5`, HTTP and REST APIs alike, in one namespace), 7 for
/// routes and integrations, 6 for deployments and authorizers. REST APIs: a root resource id has
/// 10 characters, other resources, models and request validators 6.
public enum Identifier {
    public static let apiLength = 10
    public static let routeLength = 7
    public static let integrationLength = 7
    public static let deploymentLength = 6
    public static let rootResourceLength = 10
    public static let resourceLength = 6
    public static let modelLength = 6
    public static let requestValidatorLength = 6
    public static let authorizerLength = 6
    /// Route responses and integration responses of WebSocket APIs.
    public static let responseLength = 6

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public static func random(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return random(length: length, using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(length: Int, using generator: inout G) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `id` has the shape of an identifier of the given length.
    public static func isWellFormed(_ id: String, length: Int) -> Bool {
        id.utf8.count == length && id.utf8.allSatisfy { alphabet.contains($0) }
    }
}
