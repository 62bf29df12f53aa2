import Foundation

/// An API's `binaryMediaTypes`, matched against a `Content-Type` or `Accept` value.
public struct BinaryMediaTypes: Sendable {
    private let types: [String]

    public init(_ types: [String]) {
        // A `/` in a media type is stored escaped as `~1` by patch operations' JSON pointers.
        self.types = types.map { $0.replacingOccurrences(of: "~1", with: "/").lowercased() }
    }

    public var isEmpty: Bool { types.isEmpty }

    /// Whether `contentType` (parameters ignored) is one of the binary types.
    public func contains(_ contentType: String?) -> Bool {
        guard !types.isEmpty, let contentType else { return false }
        let media = RestMediaType.of(contentType)
        return types.contains { type in
            if type == "*/*" || type == media { return true }
            if type.hasSuffix("/*") { return media.hasPrefix(type.dropLast()) }
            return false
        }
    }
}

/// Media-type helpers shared by template selection and binary handling.
public enum RestMediaType {
    /// `Application/JSON; charset=utf-8` → `application/json`.
    public static func of(_ contentType: String) -> String {
        let end = contentType.firstIndex(of: ";") ?? contentType.endIndex
        return contentType[..<end].trimmingCharacters(in: .whitespaces).lowercased()
    }
}
