/// The sample mapping template `GetModelTemplate` answers for a model: a Velocity template that builds
/// a document of the model's shape from the input, as the API Gateway console's "Generate template" does
/// (AWS, "GetModelTemplate": "Generates a sample mapping template that can be used to transform a payload
/// into the structure of a model").
///
/// The shape follows AWS's generated templates: `#set($inputRoot = $input.path('$'))`, one `"name" :`
/// line per property with strings quoted and numbers, integers and booleans bare, nested objects
/// inline, arrays as a `#foreach` over the input's array (with AWS's `##TODO` reminder) and a top-level
/// array schema as a `#foreach` over `$inputRoot`. Properties come in name order (Portico's JSON model
/// keeps no member order); `$ref`, `allOf`/`oneOf`/`anyOf` and untyped members are written as a string
/// reference, a guess where AWS's output is not recorded.
public enum ModelTemplate {
    public static func generate(schema: JSONValue) -> String {
        var lines = ["#set($inputRoot = $input.path('$'))"]
        if kind(of: schema) == "array" {
            lines.append("[")
            lines.append("#foreach($elem in $inputRoot)")
            lines += element(items(of: schema), reference: "$elem", indent: " ")
            lines.append("#if($foreach.hasNext),#end")
            lines.append("")
            lines.append("#end")
            lines.append("]")
        } else {
            lines += object(schema, reference: "$inputRoot", indent: "")
        }
        return lines.joined(separator: "\n")
    }

    /// `{ ... }` for an object schema, its properties read from `reference`.
    private static func object(_ schema: JSONValue, reference: String, indent: String) -> [String] {
        let properties = members(of: schema)
        var lines = ["\(indent){"]
        for (index, (name, property)) in properties.enumerated() {
            let comma = index < properties.count - 1 ? "," : ""
            let key = "\(indent)  \"\(name)\" : "
            let path = "\(reference).\(name)"
            switch kind(of: property) {
            case "object":
                var nested = object(property, reference: path, indent: indent + "  ")
                nested[0] = key + "{"
                nested[nested.count - 1] += comma
                lines += nested
            case "array":
                lines.append(key + "[")
                lines.append("##TODO: Update this foreach loop to reference array from input json")
                lines.append("#foreach($elem in \(path))")
                lines += element(items(of: property), reference: "$elem", indent: indent + " ")
                lines.append("#if($foreach.hasNext),#end")
                lines.append("#end")
                lines.append("\(indent)  ]\(comma)")
            case "integer", "number", "boolean":
                lines.append(key + path + comma)
            default:
                lines.append(key + "\"\(path)\"" + comma)
            }
        }
        lines.append("\(indent)}")
        return lines
    }

    /// One array element: an object, or a scalar reference.
    private static func element(_ schema: JSONValue, reference: String, indent: String) -> [String] {
        switch kind(of: schema) {
        case "object":
            return object(schema, reference: reference, indent: indent)
        case "integer", "number", "boolean":
            return [indent + reference]
        default:
            return [indent + "\"\(reference)\""]
        }
    }

    private static func kind(of schema: JSONValue) -> String {
        guard case .object(let members) = schema else { return "string" }
        switch members["type"] {
        case .string(let type)?: return type
        case .array(let types)?:
            // ["string", "null"]: the first type that is not null.
            for case .string(let type) in types where type != "null" { return type }
            return "string"
        default:
            return members["properties"] != nil ? "object" : (members["items"] != nil ? "array" : "string")
        }
    }

    private static func members(of schema: JSONValue) -> [(String, JSONValue)] {
        guard case .object(let members) = schema, case .object(let properties)? = members["properties"] else { return [] }
        return properties.sorted { $0.key < $1.key }
    }

    private static func items(of schema: JSONValue) -> JSONValue {
        guard case .object(let members) = schema, let items = members["items"] else { return .object([:]) }
        if case .array(let tuple) = items { return tuple.first ?? .object([:]) }
        return items
    }
}
