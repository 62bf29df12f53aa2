import Synchronization

/// The metrics of one route of one stage of one API. The data plane gets it once per deployment compile
/// (``MetricsRegistry/routeMetrics(apiId:stage:route:)``) and calls ``record(status:latencyMillis:integrationLatencyMillis:)``
/// per request: a handful of relaxed atomic additions, no lock, no allocation.
public final class RouteMetrics: Sendable {
    public let apiId: String
    public let stage: String
    /// The route key, for example `GET /items/{id}` or `$default`.
    public let route: String

    private let clientErrors = Atomic<Int>(0)
    private let serverErrors = Atomic<Int>(0)
    // Every request records a latency, so the request count is the latency histogram's count: one atomic
    // fewer per request, and `requests_total` always equals `latency_milliseconds_count`.
    private let latency = LatencyHistogram()
    private let integrationLatency = LatencyHistogram()

    init(apiId: String, stage: String, route: String) {
        self.apiId = apiId
        self.stage = stage
        self.route = route
    }

    /// Counts one request.
    /// - Parameters:
    ///   - status: the status sent to the client; 400–499 also count as 4XX, 500–599 as 5XX.
    ///   - latencyMillis: from receiving the request to sending the response (CloudWatch `Latency`).
    ///   - integrationLatencyMillis: time spent waiting for the integration (CloudWatch
    ///     `IntegrationLatency`), or nil when the request never reached one.
    public func record(status: Int, latencyMillis: Int, integrationLatencyMillis: Int?) {
        record(
            status: status,
            latencyMicros: latencyMillis &* 1000,
            integrationLatencyMicros: integrationLatencyMillis.map { $0 &* 1000 }
        )
    }

    /// Counts one request, with latencies measured in nanoseconds (as from `DispatchTime` or
    /// `NIODeadline`), which keeps sub-millisecond resolution in the histograms.
    public func record(status: Int, latencyNanoseconds: Int64, integrationLatencyNanoseconds: Int64?) {
        record(
            status: status,
            latencyMicros: Int(latencyNanoseconds / 1000),
            integrationLatencyMicros: integrationLatencyNanoseconds.map { Int($0 / 1000) }
        )
    }

    private func record(status: Int, latencyMicros: Int, integrationLatencyMicros: Int?) {
        latency.record(micros: latencyMicros)
        if let integrationLatencyMicros {
            integrationLatency.record(micros: integrationLatencyMicros)
        }
        if status >= 500 {
            if status <= 599 {
                serverErrors.wrappingAdd(1, ordering: .relaxed)
            }
        } else if status >= 400 {
            clientErrors.wrappingAdd(1, ordering: .relaxed)
        }
    }

    struct Snapshot: Equatable {
        var requests: Int
        var clientErrors: Int
        var serverErrors: Int
        var latency: LatencyHistogram.Snapshot
        var integrationLatency: LatencyHistogram.Snapshot
    }

    /// The current values. Each is read atomically, the set of them is not: a scrape racing a request may see
    /// it in one metric and not yet in another, which Prometheus tolerates.
    func snapshot() -> Snapshot {
        let clientErrors = clientErrors.load(ordering: .relaxed)
        let serverErrors = serverErrors.load(ordering: .relaxed)
        let latency = latency.snapshot()
        return Snapshot(
            requests: latency.count,
            clientErrors: clientErrors,
            serverErrors: serverErrors,
            latency: latency,
            integrationLatency: integrationLatency.snapshot()
        )
    }
}
