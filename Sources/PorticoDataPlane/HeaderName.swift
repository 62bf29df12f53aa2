/// Header-name checks without allocating: header names arrive in any case, and lower-casing each
/// one per request would cost a String per header on the hot path.
enum HeaderName {
    enum Kind {
        case host
        case connection
        case transferEncoding
        case contentLength
        /// Other hop-by-hop headers (RFC 9110 §7.6.1) and proxy-only ones, never forwarded.
        case hopByHop
        case xForwardedFor
        case xForwardedProto
        case xForwardedPort
        /// `Expect`: the gateway answers `100-continue` itself and does not forward it.
        case expect
        case other
    }

    static func classify(_ name: String) -> Kind {
        var name = name
        return name.withUTF8 { classify(UnsafeRawBufferPointer($0)) }
    }

    static func classify(_ bytes: UnsafeRawBufferPointer) -> Kind {
        switch bytes.count {
        case 2 where equals(bytes, "te"): .hopByHop
        case 4 where equals(bytes, "host"): .host
        case 6 where equals(bytes, "expect"): .expect
        case 7 where equals(bytes, "trailer"), 7 where equals(bytes, "upgrade"): .hopByHop
        case 8 where equals(bytes, "trailers"): .hopByHop
        case 10 where equals(bytes, "connection"), 10 where equals(bytes, "keep-alive"):
            equals(bytes, "connection") ? .connection : .hopByHop
        case 14 where equals(bytes, "content-length"): .contentLength
        case 15 where equals(bytes, "x-forwarded-for"): .xForwardedFor
        case 16 where equals(bytes, "proxy-connection"): .hopByHop
        case 16 where equals(bytes, "x-forwarded-port"): .xForwardedPort
        case 17 where equals(bytes, "transfer-encoding"): .transferEncoding
        case 17 where equals(bytes, "x-forwarded-proto"): .xForwardedProto
        case 18 where equals(bytes, "proxy-authenticate"): .hopByHop
        case 19 where equals(bytes, "proxy-authorization"): .hopByHop
        default: .other
        }
    }

    /// ASCII case-insensitive comparison of `bytes` with a lower-case `name`.
    static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ name: String) -> Bool {
        bytes.count == name.utf8.count && zip(bytes, name.utf8).allSatisfy { lower($0) == $1 }
    }

    /// Whether the raw header name starts with the lower-case `prefix`, ignoring ASCII case.
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return equals(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), prefix)
    }

    /// ASCII case-insensitive comparison of `bytes` with a lower-case `literal`.
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for index in 0..<bytes.count where lower(bytes[index]) != expected[index] {
            return false
        }
        return true
    }

    /// Whether `name` starts with the lower-case `prefix`, ignoring ASCII case.
    static func hasPrefix(_ name: String, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard name.utf8.count >= count else { return false }
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: count)
        var index = 0
        for byte in name.utf8 {
            if index == count { return true }
            if lower(byte) != expected[index] { return false }
            index += 1
        }
        return index == count
    }

    /// Whether two header names are equal, ignoring ASCII case.
    /// Compared over the contiguous bytes (header names are native strings); `zip` over two UTF-8
    /// views steps a `String.Index` per byte, which showed in profiles of per-header loops.
    static func equal(_ a: Substring, _ b: String) -> Bool {
        let left = a.utf8, right = b.utf8
        guard left.count == right.count else { return false }
        let fast = left.withContiguousStorageIfAvailable { left in
            right.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where lower(left[index]) != lower(right[index]) { return false }
                return true
            }
        }
        if let fast, let fast { return fast }
        return zip(left, right).allSatisfy { lower($0) == lower($1) }
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
