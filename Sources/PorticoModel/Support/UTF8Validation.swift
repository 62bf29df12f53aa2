/// Whether bytes are valid UTF-8, without building a `String`. `String(validating:as:)` is generic over
/// the encoding and is not specialised across the module boundary: in a release build it looks up type
/// metadata at run time and allocates the string it then throws away, which was ≈ 7% of Portico's user
/// CPU per echoed WebSocket message (`Benchmarks/websocket`, issue 6 notes). Nearly every message is
/// ASCII JSON, which is checked here eight bytes at a time; anything else still goes to the standard
/// library, so the answer is the same.
public enum UTF8Validation {
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }

    public static func isValid(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        isASCII(buffer) || String(validating: buffer, as: UTF8.self) != nil
    }

    /// No byte has its high bit set (ASCII is valid UTF-8 as it is).
    public static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        var index = 0
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
