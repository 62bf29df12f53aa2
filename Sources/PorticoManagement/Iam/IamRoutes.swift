/// How the management listener tells IAM's requests from API Gateway's and Lambda's: IAM speaks
/// AWS's Query protocol, `POST /` with a form body (`Action=CreateUser&Version=2010-05-08&...`),
/// signed for the service `iam`. No `apigateway`, `apigatewayv2` or Lambda operation is `POST /`.
enum IamRoutes {
    static let signingService = "iam"
    static let version = "2010-05-08"
    static let xmlNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"

    static func isIamRequest(method: String, path: String, contentType: String?) -> Bool {
        guard method == "POST", path == "/", let contentType else { return false }
        return contentType.lowercased().hasPrefix("application/x-www-form-urlencoded")
    }

    /// The form parameters of a Query request, decoded (`+` is a space in a form body).
    static func formParameters(_ body: [UInt8]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ bytes: ArraySlice<UInt8>) -> String? {
                let text = String(decoding: bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
                return PercentEncoding.decode(text[...])
            }
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            parameters[name] = value
        }
        return parameters
    }
}
