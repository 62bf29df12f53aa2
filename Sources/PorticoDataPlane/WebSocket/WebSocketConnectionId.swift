/// Connection ids in AWS's shape (`BFaT_fALIAMCKug=`: 16 characters, base64-like, ending in
/// `=`). Drawn from the system's random generator: `@connections` addresses a connection by its
/// id alone, so ids must not be guessable (unlike request ids, which are for correlation).
enum WebSocketConnectionId {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let a = generator.next() as UInt64
        let b = generator.next() as UInt64
        return String(unsafeUninitializedCapacity: 16) { buffer in
            var bits = a
            for index in 0..<10 {
                buffer[index] = alphabet[Int(bits & 63)]
                bits >>= 6
            }
            bits = b
            for index in 10..<15 {
                buffer[index] = alphabet[Int(bits & 63)]
                bits >>= 6
            }
            buffer[15] = UInt8(ascii: "=")
            return 16
        }
    }
}
