import PorticoModel

/// AWS's answers for API keys and usage plans. The NotFound wordings are AWS's as moto and several AWS
/// emulators reproduce them from recordings (`Invalid API Key identifier specified`, `Invalid Usage Plan ID
/// specified`); the validation wordings marked "guess" were not found recorded anywhere and are Portico's.
enum UsagePlanMessages {
    static let apiKeyNotFound = APIError.notFound("Invalid API Key identifier specified")
    static let usagePlanNotFound = APIError.notFound("Invalid Usage Plan ID specified")
    static let usagePlanKeyNotFound = APIError.notFound("Invalid Usage Plan Key identifier specified")
    /// Creating a key with a value another key already has.
    static let apiKeyExists = APIError.conflict("API Key already exists")
    /// Adding a key a plan already holds (guess).
    static let usagePlanKeyExists = APIError.conflict("Usage Plan already contains specified API key")
    /// Only `API_KEY` usage plan keys exist.
    static let invalidKeyType = APIError.badRequest("Invalid key type specified: only API_KEY is supported")
    static let usagePlanNameRequired = APIError.badRequest("Invalid usage plan name specified")
    static let apiKeyValueLength = APIError.badRequest("API Key value should be at least 20 characters")
    static let apiKeyValueTooLong = APIError.badRequest("API Key value exceeds maximum size of 128 characters")

    static func invalidStage(_ apiId: String, _ stage: String) -> APIError {
        .badRequest("Invalid stage identifier specified: \(apiId):\(stage)")  // guess
    }

    static func invalidApiStage(_ apiId: String, accountId: String) -> APIError {
        .notFound("Invalid API identifier specified \(accountId):\(apiId)")
    }

    static func invalidMethod(_ path: String) -> APIError {
        .badRequest("Invalid method path specified for throttle: \(path)")  // guess
    }

    static func invalidQuotaPeriod(_ period: String) -> APIError {
        .badRequest("Invalid quota period specified: \(period). Must be one of: [DAY, WEEK, MONTH]")  // guess
    }

    static func invalidQuotaOffset(_ offset: Int, period: QuotaPeriod) -> APIError {
        .badRequest("Invalid quota offset specified: \(offset). For period \(period.rawValue) it must be between 0 and \(period.maximumOffset)")  // guess
    }

    static let negativeQuota = APIError.badRequest("Quota limit must be a non-negative integer")  // guess
    static let negativeThrottle = APIError.badRequest("Throttle rate and burst limits must not be negative")  // guess

    static func invalidDate(_ name: String, _ value: String) -> APIError {
        .badRequest("Invalid \(name) specified: \(value). Dates must be in the format yyyy-MM-dd")  // guess
    }
}
