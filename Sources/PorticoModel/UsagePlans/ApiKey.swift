public import Foundation

/// An API key (`CreateApiKey`, `ImportApiKeys`): a secret value callers send in `x-api-key` (or an authorizer
/// returns as `usageIdentifierKey`), enabled or not, attached to usage plans through usage plan keys.
///
/// The value is stored with the key; the management API shows it only when asked (`includeValue`,
/// `includeValues`) and on create, as AWS does.
public struct ApiKey: Codable, Sendable, Equatable {
    public var id: String
    public var value: String?
    public var name: String?
    public var customerId: String?
    public var description: String?
    public var enabled: Bool
    public var createdDate: Date
    public var lastUpdatedDate: Date
    /// `{restApiId}/{stageName}` (the deprecated pre-usage-plan association, kept and shown as AWS does).
    public var stageKeys: [String]
    public var tags: [String: String]?

    public init(id: String, value: String, name: String?, enabled: Bool, createdDate: Date) {
        self.id = id
        self.value = value
        self.name = name
        self.enabled = enabled
        self.createdDate = createdDate
        self.lastUpdatedDate = createdDate
        self.stageKeys = []
    }

    /// The key as the management API shows it without `includeValue`: no `value` member.
    public var withoutValue: ApiKey {
        var key = self
        key.value = nil
        return key
    }

    /// AWS's API key ids have 10 lower-case letters and digits.
    public static let idLength = 10
    /// A generated value has 40 characters (AWS: "a 40 character alphanumeric string").
    public static let generatedValueLength = 40
    /// AWS accepts values of 20 to 128 characters.
    public static let valueLengths = 20...128

    static let valueAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// A new random value: 40 letters and digits (238 bits from the system's CSPRNG).
    public static func generateValue() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(generatedValueLength)
        for _ in 0..<generatedValueLength {
            bytes.append(valueAlphabet[Int(generator.next(upperBound: UInt64(valueAlphabet.count)))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
