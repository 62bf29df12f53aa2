import Synchronization

/// A monotonically increasing process-level counter (for example `portico_upstream_connect_errors_total`),
/// from ``MetricsRegistry/counter(_:help:labels:)``. Incrementing is one relaxed atomic addition.
public final class Counter: Sendable {
    public let name: String
    public let labels: [String: String]
    private let total = Atomic<Int>(0)

    init(name: String, labels: [String: String]) {
        self.name = name
        self.labels = labels
    }

    /// Adds `amount`, which must not be negative (a Prometheus counter only goes up).
    public func increment(by amount: Int = 1) {
        precondition(amount >= 0, "a counter only goes up")
        total.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current total.
    public var value: Int {
        total.load(ordering: .relaxed)
    }
}
