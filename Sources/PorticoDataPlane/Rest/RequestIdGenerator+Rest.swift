extension RequestIdGenerator {
    /// A version-4-shaped UUID (`8-4-4-4-12` lower-case hex), REST APIs' `x-amzn-RequestId`, from
    /// the loop's generator rather than the system RNG (a syscall per request).
    func makeUUID() -> String {
        let high = next()
        let low = next()
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func hex(_ value: UInt64, digits: Int) {
                for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                    buffer[index] = Self.hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            hex(high >> 32, digits: 8)
            dash()
            hex(high >> 16, digits: 4)
            dash()
            hex(0x4000 | (high & 0x0FFF), digits: 4)
            dash()
            hex(0x8000 | (low >> 48 & 0x3FFF), digits: 4)
            dash()
            hex(low, digits: 12)
            return index
        }
    }

    /// An X-Ray trace header, `Root=1-{epoch seconds, 8 hex}-{96 bits, 24 hex}`, written in one
    /// allocation (joining its pieces with `+` made one per piece).
    func makeTraceId(epochSeconds: Int64) -> String {
        let high = next()
        let low = next()
        return String(unsafeUninitializedCapacity: 40) { buffer in
            var index = 0
            func write(_ text: StaticString) {
                for byte in UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount) {
                    buffer[index] = byte
                    index += 1
                }
            }
            func hex(_ value: UInt64, digits: Int) {
                for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                    buffer[index] = Self.hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            write("Root=1-")
            hex(UInt64(truncatingIfNeeded: epochSeconds) & 0xFFFF_FFFF, digits: 8)
            write("-")
            hex(high >> 32, digits: 8)
            hex(low, digits: 16)
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
