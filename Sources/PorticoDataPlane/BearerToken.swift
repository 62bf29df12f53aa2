/// The token in an identity source's value (AWS: "The identitySource can include only the token, or
/// the token prefixed with Bearer"), for JWT authorizers of HTTP APIs and Cognito authorizers of REST
/// APIs.
enum BearerToken {
    /// `value` without a leading `Bearer ` (any case) and surrounding spaces. Works on UTF-8 bytes:
    /// `Substring.count` walks grapheme clusters, which for a 1 KB token cost several percent of a
    /// request's CPU time.
    static func strip(_ value: Substring) -> Substring {
        var value = value
        let utf8 = value.utf8
        if utf8.count > 7 {
            let prefixEnd = utf8.index(utf8.startIndex, offsetBy: 7)
            let isBearer = utf8[..<prefixEnd].withContiguousStorageIfAvailable { bytes in
                HeaderName.equals(UnsafeRawBufferPointer(bytes), "bearer ")
            } ?? zip(utf8, "bearer ".utf8).allSatisfy { HeaderName.lower($0) == $1 }
            if isBearer { value = value[prefixEnd...] }
        }
        while value.utf8.first == UInt8(ascii: " ") { value = value.dropFirst() }
        while value.utf8.last == UInt8(ascii: " ") { value = value.dropLast() }
        return value
    }
}
