/// Just enough of a Prometheus text-format (0.0.4) parser to check what ``MetricsRegistry`` exposes: it
/// reads `# HELP`/`# TYPE` lines and samples, undoes label-value escapes, and rejects what a real scraper
/// would reject (a sample before its family's `# TYPE`, a family split in two, a malformed line).
struct PrometheusTextParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var samples: [Sample] = []
    private(set) var types: [String: String] = [:]
    private(set) var help: [String: String] = [:]

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else {
            throw ParseError(description: "exposition does not end with a newline")
        }
        var finishedFamilies: Set<String> = []
        var currentFamily: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst("# HELP ".count)
                let name = String(rest.prefix { $0 != " " })
                help[name] = Self.unescapeHelp(String(rest.dropFirst(name.count + 1)))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst("# TYPE ".count).split(separator: " ")
                guard parts.count == 2 else {
                    throw ParseError(description: "bad TYPE line: \(line)")
                }
                let name = String(parts[0])
                guard types[name] == nil else {
                    throw ParseError(description: "second TYPE for \(name)")
                }
                if let currentFamily {
                    finishedFamilies.insert(currentFamily)
                }
                types[name] = String(parts[1])
                currentFamily = name
            } else {
                let sample = try Self.parseSample(Substring(line))
                let family = Self.family(of: sample.name, types: types)
                guard let family, family == currentFamily, !finishedFamilies.contains(family) else {
                    throw ParseError(description: "sample outside its family: \(line)")
                }
                samples.append(sample)
            }
        }
    }

    /// The value of the one sample with this name and exactly these labels.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        return matching.count == 1 ? matching[0].value : nil
    }

    private static func family(of sampleName: String, types: [String: String]) -> String? {
        if types[sampleName] != nil {
            return sampleName
        }
        for suffix in ["_bucket", "_sum", "_count"] where sampleName.hasSuffix(suffix) {
            let base = String(sampleName.dropLast(suffix.count))
            if types[base] == "histogram" {
                return base
            }
        }
        return nil
    }

    private static func parseSample(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else {
            throw ParseError(description: "no metric name: \(line)")
        }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else {
                    throw ParseError(description: "bad label in: \(line)")
                }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.first else {
                        throw ParseError(description: "unterminated label value in: \(line)")
                    }
                    rest = rest.dropFirst()
                    if character == "\"" {
                        break
                    }
                    if character == "\\" {
                        guard let escaped = rest.first else {
                            throw ParseError(description: "dangling escape in: \(line)")
                        }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError(description: "bad escape \\\(escaped) in: \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: labelName) == nil else {
                    throw ParseError(description: "duplicate label \(labelName) in: \(line)")
                }
                if rest.first == "," {
                    rest = rest.dropFirst()
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " ", let value = Double(rest.dropFirst()) else {
            throw ParseError(description: "bad value in: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func unescapeHelp(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
