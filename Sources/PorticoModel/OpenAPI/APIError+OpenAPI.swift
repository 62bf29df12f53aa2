extension APIError {
    /// A definition that cannot be imported, naming the field and the line at fault:
    /// `Invalid OpenAPI input: paths./pets.get.x-amazon-apigateway-integration.timeoutInMillis (line 14): expected ...`.
    ///
    /// AWS answers an unusable body with `BadRequestException` and `Invalid OpenAPI input.`; Portico keeps
    /// that prefix and adds where the problem is.
    static func invalidOpenAPI(_ field: String, line: Int, _ problem: String) -> APIError {
        .badRequest("Invalid OpenAPI input: \(field) (line \(line)): \(problem)")
    }

    /// A problem with the definition as a whole (empty text, malformed YAML or JSON).
    static func invalidOpenAPI(_ problem: String) -> APIError {
        .badRequest("Invalid OpenAPI input: \(problem)")
    }
}
