import PorticoModel

/// Tags on APIs and stages, with AWS's limits.
enum TagValidation {
    static let maximumTags = 50

    static func validate(_ tags: [String: String]) throws(APIError) {
        for (key, value) in tags {
            guard (1...128).contains(key.count) else {
                throw .badRequest("Tag key '\(key)' is invalid: tag keys must be between 1 and 128 characters.")
            }
            guard value.count <= 256 else {
                throw .badRequest("Tag value for key '\(key)' is invalid: tag values must be at most 256 characters.")
            }
            // AWS reserves the aws: prefix for its own tags.
            guard !key.lowercased().hasPrefix("aws:") else {
                throw .badRequest("Tag key '\(key)' is invalid: the aws: prefix is reserved for AWS use.")
            }
        }
    }

    /// Merges `new` into `existing` and checks the result against the per-resource limit.
    static func merged(_ existing: [String: String]?, with new: [String: String]) throws(APIError) -> [String: String] {
        try validate(new)
        let result = (existing ?? [:]).merging(new) { _, replacement in replacement }
        guard result.count <= maximumTags else {
            throw .badRequest("Too many tags: a resource can have at most \(maximumTags) tags.")
        }
        return result
    }
}
