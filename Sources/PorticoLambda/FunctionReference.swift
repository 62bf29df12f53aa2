/// Invoke's `FunctionName` taken apart (AWS_FACTS.md L3): a name (`my-function`), a partial ARN
/// (`123456789012:function:my-function`) or a full ARN
/// (`arn:aws:lambda:us-west-2:123456789012:function:my-function`), each optionally with
/// `:qualifier` (a version or alias).
struct FunctionReference: Equatable, Sendable {
    var name: String
    var qualifier: String?
    var region: String?
    var accountId: String?

    init(name: String, qualifier: String? = nil, region: String? = nil, accountId: String? = nil) {
        self.name = name
        self.qualifier = qualifier
        self.region = region
        self.accountId = accountId
    }

    /// Nil when `text` is none of the three forms.
    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "arn" {
            guard parts.count == 7 || parts.count == 8, parts[1].hasPrefix("aws"), parts[2] == "lambda", parts[5] == "function"
            else { return nil }
            self.init(name: parts[6], qualifier: parts.count == 8 ? parts[7] : nil, region: parts[3], accountId: parts[4])
        } else {
            switch parts.count {
            case 1: self.init(name: parts[0])
            case 2: self.init(name: parts[0], qualifier: parts[1])
            case 3 where parts[1] == "function": self.init(name: parts[2], accountId: parts[0])
            case 4 where parts[1] == "function": self.init(name: parts[2], qualifier: parts[3], accountId: parts[0])
            default: return nil
            }
        }
        guard !name.isEmpty, qualifier.map({ !$0.isEmpty }) ?? true else { return nil }
    }

    /// The ARN AWS names in its "Function not found" message: this account and region unless the
    /// reference named others, with the qualifier when there was one.
    func arn(region defaultRegion: String, accountId defaultAccount: String) -> String {
        let base = "arn:aws:lambda:\(region ?? defaultRegion):\(accountId ?? defaultAccount):function:\(name)"
        return qualifier.map { base + ":" + $0 } ?? base
    }
}
