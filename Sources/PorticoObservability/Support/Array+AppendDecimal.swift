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
        var digitCount = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        var index = start + digitCount - 1
        repeat {
            self[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }
}
