extension Array where Element == UInt8 {
    /// Appends `value` in decimal without going through `String`, which would allocate per number.
    mutating func appendDecimal(_ value: Int) {
        appendDecimal(Int64(value))
    }

    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        // Digits are produced last to first into a stack buffer, then copied in one go.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }
}
