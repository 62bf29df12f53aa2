/// `$input`: the request payload and parameters (AWS's "`$input` variables" reference).
extension Evaluator {
    func inputMethod(_ call: MethodCall, _ arguments: [TemplateValue]) throws(TemplateRenderError) -> TemplateValue? {
        switch (call.name, arguments.count) {
        case (.json, 1):
            guard let selected = try select(call, arguments[0]) else {
                // Nothing at the path: an empty string, not the literal reference.
                return .string("")
            }
            return .string(try selected.jsonText(limit: textLimit))
        case (.path, 1):
            return try select(call, arguments[0])
        case (.params, 0):
            return .map(allParameters())
        case (.params, 1):
            // Path, then query string, then header, as AWS documents; an absent parameter is "".
            let name = try arguments[0].text(limit: textLimit)
            let match = input.pathParameters.last { $0.name == name }
                ?? input.queryStringParameters.last { $0.name == name }
                ?? input.headers.last { $0.name == name }
            return .string(match?.value ?? "")
        default:
            return nil
        }
    }

    /// `$input.params()`: a map of `path`, `querystring` and `header`, each a map of name to value.
    func allParameters() -> MapBox {
        func map(_ parameters: [MappingTemplateContext.Parameter]) -> TemplateValue {
            let map = MapBox(minimumCapacity: parameters.count)
            for parameter in parameters { map.put(parameter.name, .string(parameter.value)) }
            return .map(map)
        }
        let all = MapBox(minimumCapacity: 3)
        all.put("path", map(input.pathParameters))
        all.put("querystring", map(input.queryStringParameters))
        all.put("header", map(input.headers))
        return all
    }

    private func select(_ call: MethodCall, _ argument: TemplateValue) throws(TemplateRenderError) -> TemplateValue? {
        let path: JSONPath
        if let compiled = call.jsonPath {
            path = compiled
        } else {
            path = try JSONPath(try argument.text(limit: textLimit))
        }
        return try path.select(in: try body())
    }

    /// The body as JSON, parsed on first use. An empty body reads as `{}`, which is what
    /// `$input.json('$')` gives for a request without a payload.
    private func body() throws(TemplateRenderError) -> TemplateValue {
        if let parsedBody { return parsedBody }
        let isBlank = input.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let value = isBlank ? .map(MapBox()) : try JSONParser.parse(input.body)
        parsedBody = value
        return value
    }
}
