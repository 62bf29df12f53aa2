/// Builds a Prometheus text exposition (format 0.0.4): `# HELP` and `# TYPE` lines, then samples, with the
/// escaping the format prescribes (label values: `\\`, `\"`, `\n`; help text: `\\`, `\n`).
struct PrometheusTextWriter {
    private(set) var bytes: [UInt8] = []

    mutating func family(_ name: String, type: String, help: String) {
        append("# HELP ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(#"\\"#)
            case UInt8(ascii: "\n"): append(#"\n"#)
            default: bytes.append(byte)
            }
        }
        append("\n# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(type)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample line; `labels` in the order given, then `extraLabel` (a histogram's `le`) if any.
    mutating func sample(_ name: String, labels: [(String, String)], extraLabel: (String, String)? = nil, value: Int) {
        startSample(name, labels: labels, extraLabel: extraLabel)
        bytes.appendDecimal(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A sample whose value is a number of thousandths (microseconds shown as milliseconds).
    mutating func sample(_ name: String, labels: [(String, String)], thousandths: Int) {
        startSample(name, labels: labels, extraLabel: nil)
        appendThousandths(thousandths)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `value / 1000` in decimal, without trailing zeros: 12345 → `12.345`, 500 → `0.5`, 3000 → `3`.
    mutating func appendThousandths(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        let magnitude = Int(value.magnitude)
        bytes.appendDecimal(magnitude / 1000)
        var fraction = magnitude % 1000
        guard fraction != 0 else {
            return
        }
        bytes.append(UInt8(ascii: "."))
        var divisor = 100
        while fraction != 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    private mutating func startSample(_ name: String, labels: [(String, String)], extraLabel: (String, String)?) {
        append(name)
        if !labels.isEmpty || extraLabel != nil {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (labelName, labelValue) in labels {
                appendLabel(labelName, labelValue, first: first)
                first = false
            }
            if let (labelName, labelValue) = extraLabel {
                appendLabel(labelName, labelValue, first: first)
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
    }

    private mutating func appendLabel(_ name: String, _ value: String, first: Bool) {
        if !first {
            bytes.append(UInt8(ascii: ","))
        }
        append(name)
        append("=\"")
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(#"\\"#)
            case UInt8(ascii: "\""): append(#"\""#)
            case UInt8(ascii: "\n"): append(#"\n"#)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
