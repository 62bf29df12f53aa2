/// How the management listener tells the Lambda API's requests from API Gateway's: Lambda's
/// REST-JSON paths start with a date-like API version segment (`/2015-03-31/functions`,
/// `/2017-03-31/tags`, `/2017-10-31/.../concurrency`, `/2019-09-30/...`), which no `apigateway`
/// or `apigatewayv2` path does. Lambda's requests are signed for the service `lambda`.
enum LambdaRoutes {
    static let signingService = "lambda"

    /// Where GetFunction's `Code.Location` points: `{prefix}{functionName}/{sha256 hex}.zip` on the
    /// management listener (AWS gives a presigned S3 URL, which needs no credentials either).
    static let codeLocationPrefix = "/_portico/lambda/code/"

    static func isLambdaPath(_ path: String) -> Bool {
        let utf8 = Array(path.utf8.prefix(12))
        guard utf8.count == 12, utf8[0] == UInt8(ascii: "/"), utf8[11] == UInt8(ascii: "/"),
            utf8[5] == UInt8(ascii: "-"), utf8[8] == UInt8(ascii: "-")
        else { return false }
        return [1, 2, 3, 4, 6, 7, 9, 10].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[$0]) }
    }

    /// `CreateFunction` or `UpdateFunctionCode` when the request uploads code, else nil.
    static func codeUploadOperation(method: String, path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.first == "2015-03-31", segments.count >= 2, segments[1] == "functions" else { return nil }
        if method == "POST" && segments.count == 2 { return "CreateFunction" }
        if method == "PUT" && segments.count == 4 && segments[3] == "code" { return "UpdateFunctionCode" }
        return nil
    }

    /// The request size that fits a zip of `maxZipBytes` in base64: Lambda's
    /// "Request must be smaller than 69905067 bytes" is 4/3 of its 50 MB zip quota, rounded up.
    static func requestLimit(maxZipBytes: Int) -> Int {
        (maxZipBytes * 4 + 2) / 3
    }
}
