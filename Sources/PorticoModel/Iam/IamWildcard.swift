/// IAM's wildcard matching for actions and resources: `*` matches any run of characters (`/` and
/// `:` included), `?` exactly one. ARNs compare case-sensitively; anything else (action names such
/// as `execute-api:Invoke`) case-insensitively, as IAM does.
public enum IamWildcard {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let caseless = !pattern.hasPrefix("arn:")
        let p = Array((caseless ? pattern.lowercased() : pattern).utf8)
        let t = Array((caseless ? text.lowercased() : text).utf8)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
