import Foundation
import PorticoModel

/// Paging for the list operations: `maxResults` / `nextToken` (`apigatewayv2`) and `limit` /
/// `position` (`apigateway`, REST APIs). Items are listed in the order of a stable key (the
/// resource id); a token is opaque to clients and records the kind of list and the last key
/// returned, so a page boundary survives creations and deletions in between.
enum Pagination {
    /// The page size when `maxResults` is absent.
    static let defaultPageSize = 100
    /// The page size when a REST API list's `limit` is absent (AWS: 25).
    static let restDefaultPageSize = 25
    static let maximumPageSize = 500

    /// The names and default of one protocol's paging parameters.
    struct Parameters {
        var size: String
        var token: String
        var defaultSize: Int

        static let v2 = Parameters(size: "maxResults", token: "nextToken", defaultSize: Pagination.defaultPageSize)
        static let rest = Parameters(size: "limit", token: "position", defaultSize: Pagination.restDefaultPageSize)
    }

    struct Page<Item> {
        var items: [Item]
        var nextToken: String?
    }

    static func page<Item>(
        _ items: [Item], kind: String, key: (Item) -> String, maxResults: String?, nextToken: String?,
        parameters: Parameters = .v2
    ) throws(APIError) -> Page<Item> {
        let size = try pageSize(maxResults, parameters: parameters)
        var sorted = items.sorted { key($0) < key($1) }
        if let nextToken {
            let after = try decodeToken(nextToken, kind: kind, parameters: parameters)
            sorted.removeAll { key($0) <= after }
        }
        guard sorted.count > size else { return Page(items: sorted, nextToken: nil) }
        let pageItems = Array(sorted.prefix(size))
        return Page(items: pageItems, nextToken: encodeToken(kind: kind, after: key(pageItems[size - 1])))
    }

    static func pageSize(_ maxResults: String?, parameters: Parameters = .v2) throws(APIError) -> Int {
        guard let maxResults else { return parameters.defaultSize }
        guard let size = Int(maxResults), size >= 1 else {
            throw .badRequest("Invalid value for \(parameters.size): '\(maxResults)'. It must be a positive integer.")
        }
        return min(size, maximumPageSize)
    }

    static func encodeToken(kind: String, after key: String) -> String {
        let raw = "v1\u{0}\(kind)\u{0}\(key)"
        return Data(raw.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The last key of the previous page; `BadRequestException` for anything this list did not issue.
    static func decodeToken(_ token: String, kind: String, parameters: Parameters = .v2) throws(APIError) -> String {
        let error = invalidToken(parameters)
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), let raw = String(data: data, encoding: .utf8) else {
            throw error
        }
        let parts = raw.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", parts[1] == kind else { throw error }
        return String(parts[2])
    }

    static func invalidToken(_ parameters: Parameters = .v2) -> APIError {
        .badRequest("Invalid pagination token specified: \(parameters.token)")
    }
}
