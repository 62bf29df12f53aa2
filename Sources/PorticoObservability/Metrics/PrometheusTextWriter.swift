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

    /// The escaped `name="value",...` text of a label set (no braces), to reuse for every sample of a series.
    static func renderLabels(_ labels: [(String, String)]) -> [UInt8] {
        var writer = PrometheusTextWriter()
        for (index, (name, value)) in labels.enumerated() {
            writer.appendLabel(name, value, first: index == 0)
        }
        return writer.bytes
    }

    /// One sample line, with labels from ``renderLabels(_:)`` and then `extraLabel` (a histogram's `le`).
    mutating func sample(_ name: String, labels: [UInt8], extraLabel: (String, String)? = nil, value: Int) {
        startSample(name, labels: labels, extraLabel: extraLabel)
        bytes.appendDecimal(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// A sample whose value is a number of thousandths (microseconds shown as milliseconds).
    mutating func sample(_ name: String, labels: [UInt8], thousandths: Int) {
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

    private mutating func startSample(_ name: String, labels: [UInt8], extraLabel: (String, String)?) {
        append(name)
        if !labels.isEmpty || extraLabel != nil {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels)
            if let (labelName, labelValue) = extraLabel {
                appendLabel(labelName, labelValue, first: labels.isEmpty)
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
