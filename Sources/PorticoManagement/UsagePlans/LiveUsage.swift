import Foundation

/// The data plane's live quota counters as the management API needs them: GetUsage and UpdateUsage read the
/// durable history after a flush of what the data plane has counted but not yet written, and UpdateUsage moves
/// the live count. Implemented by the server (PorticoServer), absent in tests of the management API alone.
public protocol LiveUsage: Sendable {
    /// Writes every count not yet in the store.
    func flush() async
    /// Adds `delta` (may be negative) to the live count of a key under a plan in the quota period that began on
    /// the epoch day `periodStart`.
    func adjust(usagePlanId: String, keyId: String, by delta: Int64, periodStart: Int)
}
