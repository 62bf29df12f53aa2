/// Request ids in the shape HTTP APIs use (`LV7fzho-PHcEJPw=`: 11 random bytes, base64 with `-`
/// for `/`). A per-loop xorshift generator keeps this off the system RNG on the hot path; ids are
/// for correlation, not secrets.
final class RequestIdGenerator {
    private var state: UInt64

    init() {
        var seed = UInt64.random(in: 1...UInt64.max)
        if seed == 0 { seed = 0x9E37_79B9_7F4A_7C15 }
        state = seed
    }

    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-".utf8)

    func make() -> String {
        let a = next()
        let b = next()
        return String(unsafeUninitializedCapacity: 16) { buffer in
            var bits = a
            for index in 0..<10 {
                buffer[index] = Self.alphabet[Int(bits & 63)]
                bits >>= 6
            }
            bits = b
            for index in 10..<15 {
                buffer[index] = Self.alphabet[Int(bits & 63)]
                bits >>= 6
            }
            buffer[15] = UInt8(ascii: "=")
            return 16
        }
    }
}
