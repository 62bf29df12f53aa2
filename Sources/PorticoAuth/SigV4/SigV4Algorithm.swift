import Crypto

/// The cryptographic steps of AWS4-HMAC-SHA256, shared by ``SigV4Verifier`` and ``SigV4Signer``.
enum SigV4Algorithm {
    /// The only algorithm name SigV4 (as opposed to SigV4a) defines.
    static let name = "AWS4-HMAC-SHA256"
    /// The last element of every credential scope.
    static let terminator = "aws4_request"

    /// `AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256 of the canonical request>`.
    static func stringToSign(timestamp: String, scope: String, canonicalRequest: SigV4CanonicalRequest) -> String {
        [name, timestamp, scope, sha256Hex(Array(canonicalRequest.text.utf8))].joined(separator: "\n")
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [day, region, service, terminator] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The lower-case hex HMAC-SHA256 of the string to sign.
    static func signature(stringToSign: String, signingKey: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey))
    }

    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        if let digest = bytes.withContiguousStorageIfAvailable({ SHA256.hash(data: UnsafeRawBufferPointer($0)) }) {
            return hex(digest)
        }
        return hex(SHA256.hash(data: Array(bytes)))
    }

    /// Lower-case hex of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two signatures without stopping at the first differing byte, so that response
    /// timing does not reveal how much of a forged signature was right.
    ///
    /// Only the length (public: a SigV4 signature is always 64 hex digits) ends it early.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
