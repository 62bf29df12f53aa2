import PorticoModel

/// An HTTP API's `corsConfiguration`, read and checked.
enum CorsValidation {
    static func read(_ body: JSONBody) throws(APIError) -> CorsConfiguration {
        let cors = CorsConfiguration(
            allowCredentials: try body.bool("allowCredentials"),
            allowHeaders: try body.stringList("allowHeaders"),
            allowMethods: try body.stringList("allowMethods"),
            allowOrigins: try body.stringList("allowOrigins"),
            exposeHeaders: try body.stringList("exposeHeaders"),
            maxAge: try body.integer("maxAge"))
        try validate(cors)
        return cors
    }

    static func validate(_ cors: CorsConfiguration) throws(APIError) {
        if let maxAge = cors.maxAge, !(-1...86400).contains(maxAge) {
            throw .badRequest("Invalid CORS configuration: maxAge must be between -1 and 86400 seconds.")
        }
        if let methods = cors.allowMethods {
            let allowed: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]
            for method in methods where !allowed.contains(method.uppercased()) {
                throw .badRequest("Invalid CORS configuration: '\(method)' is not a valid HTTP method.")
            }
        }
        // Browsers refuse credentials with a wildcard origin, and AWS refuses the configuration.
        if cors.allowCredentials == true, cors.allowOrigins?.contains("*") == true {
            throw .badRequest("Invalid CORS configuration: allowCredentials cannot be true when allowOrigins includes '*'.")
        }
    }
}
