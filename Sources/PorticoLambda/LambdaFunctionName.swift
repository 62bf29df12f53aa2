/// Invoke's `FunctionName` taken apart: a name (`my-function`), a full ARN
/// (`arn:aws:lambda:us-west-2:123456789012:function:my-function`) or a partial ARN
/// (`123456789012:function:my-function`), each optionally with `:qualifier` (Lambda API reference,
/// "Invoke": "You can append a version number or alias to any of the formats").
public struct LambdaFunctionName: Sendable, Equatable {
    public var name: String
    public var qualifier: String?

    public init(name: String, qualifier: String? = nil) {
        self.name = name
        self.qualifier = qualifier
    }

    public init(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 7, parts[0] == "arn", parts[5] == "function" {
            // arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]
            self.init(name: parts[6], qualifier: parts.count > 7 ? parts[7] : nil)
        } else if parts.count >= 3, parts[1] == "function" {
            // {account}:function:{name}[:{qualifier}]
            self.init(name: parts[2], qualifier: parts.count > 3 ? parts[3] : nil)
        } else if parts.count == 2 {
            self.init(name: parts[0], qualifier: parts[1])
        } else {
            self.init(name: text)
        }
    }
}
