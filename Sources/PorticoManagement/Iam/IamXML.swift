/// A small writer for the XML documents of IAM's Query protocol (no attributes but the root's
/// namespace, text escaped).
struct IamXML {
    private(set) var text = ""

    mutating func open(_ name: String, namespace: String? = nil) {
        if let namespace { text += "<\(name) xmlns=\"\(namespace)\">" } else { text += "<\(name)>" }
    }

    mutating func close(_ name: String) {
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata>...`: IAM's
    /// envelope; `result` writes the members (nil: an operation without a result, such as
    /// `DeleteUser`, whose answer has only `ResponseMetadata`).
    static func response(action: String, requestId: String, result: ((inout IamXML) -> Void)?) -> String {
        var xml = IamXML()
        xml.open("\(action)Response", namespace: IamRoutes.xmlNamespace)
        if let result {
            xml.open("\(action)Result")
            result(&xml)
            xml.close("\(action)Result")
        }
        xml.open("ResponseMetadata")
        xml.element("RequestId", requestId)
        xml.close("ResponseMetadata")
        xml.close("\(action)Response")
        return xml.text
    }
}
