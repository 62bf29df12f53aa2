import Synchronization

/// All of Portico's metrics, and their Prometheus text exposition (served at `/_portico/metrics`).
///
/// Per API, stage and route (labels `api_id`, `stage`, `route`), after API Gateway's CloudWatch metrics
/// for HTTP APIs: `portico_requests_total` (Count), `portico_4xx_total` (4xx), `portico_5xx_total` (5xx),
/// and the histograms `portico_latency_milliseconds` (Latency) and
/// `portico_integration_latency_milliseconds` (IntegrationLatency). Plus process-level counters registered
/// with ``counter(_:help:labels:)``.
///
/// Registration and exposition take a lock; recording does not (see ``RouteMetrics``).
public final class MetricsRegistry: Sendable {
    private struct RouteKey: Hashable {
        var apiId: String
        var stage: String
        var route: String
    }

    private struct CounterKey: Hashable {
        var name: String
        var labels: [String: String]
    }

    private struct State {
        var routes: [RouteKey: RouteMetrics] = [:]
        /// WebSocket stages, keyed by API and stage (`route` empty).
        var webSockets: [RouteKey: WebSocketStageMetrics] = [:]
        var counters: [CounterKey: Counter] = [:]
        /// Help text per counter family, from its first registration.
        var counterHelp: [String: String] = [:]
    }

    /// A histogram's sample names, built once rather than per sample.
    private struct HistogramNames {
        let bucket: String
        let sum: String
        let count: String

        init(_ family: String) {
            bucket = family + "_bucket"
            sum = family + "_sum"
            count = family + "_count"
        }
    }

    static let requestsName = "portico_requests_total"
    static let clientErrorsName = "portico_4xx_total"
    static let serverErrorsName = "portico_5xx_total"
    static let latencyName = "portico_latency_milliseconds"
    static let integrationLatencyName = "portico_integration_latency_milliseconds"
    private static let latencyNames = HistogramNames(latencyName)
    private static let integrationLatencyNames = HistogramNames(integrationLatencyName)
    private static let reservedNames: Set<String> = Set([
        requestsName, clientErrorsName, serverErrorsName, latencyName, integrationLatencyName,
    ] + WebSocketStageMetrics.families.map(\.name))

    /// `le` values of the latency buckets, in milliseconds, rendered once.
    static let bucketLabels: [String] =
        LatencyHistogram.upperBoundsMicros.map { bound in
            var writer = PrometheusTextWriter()
            writer.appendThousandths(bound)
            return String(decoding: writer.bytes, as: UTF8.self)
        } + ["+Inf"]

    private let state = Mutex(State())

    /// The `Content-Type` of ``prometheusText()``.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    public init() {}

    /// The metrics object for one route; the same object for the same labels, so that a recompiled
    /// deployment keeps counting where the previous one left off.
    public func routeMetrics(apiId: String, stage: String, route: String) -> RouteMetrics {
        let key = RouteKey(apiId: apiId, stage: stage, route: route)
        return state.withLock { state in
            if let existing = state.routes[key] {
                return existing
            }
            let metrics = RouteMetrics(apiId: apiId, stage: stage, route: route)
            state.routes[key] = metrics
            return metrics
        }
    }

    /// The connection metrics of one WebSocket stage; the same object for the same API and stage, so that a
    /// recompiled deployment (and the connections opened under the previous one) keep counting together.
    public func webSocketMetrics(apiId: String, stage: String) -> WebSocketStageMetrics {
        let key = RouteKey(apiId: apiId, stage: stage, route: "")
        return state.withLock { state in
            if let existing = state.webSockets[key] { return existing }
            let metrics = WebSocketStageMetrics(apiId: apiId, stage: stage)
            state.webSockets[key] = metrics
            return metrics
        }
    }

    /// Stops exporting every route of an API (when the API is deleted). Objects already handed out keep
    /// working but are no longer exported; asking again starts from zero.
    public func remove(apiId: String) {
        state.withLock { state in
            state.routes = state.routes.filter { $0.key.apiId != apiId }
            state.webSockets = state.webSockets.filter { $0.key.apiId != apiId }
        }
    }

    /// Stops exporting every route of one stage (when the stage is deleted).
    public func remove(apiId: String, stage: String) {
        state.withLock { state in
            state.routes = state.routes.filter { !($0.key.apiId == apiId && $0.key.stage == stage) }
            state.webSockets = state.webSockets.filter { !($0.key.apiId == apiId && $0.key.stage == stage) }
        }
    }

    /// A process-level counter; the same object for the same name and labels.
    ///
    /// - Precondition: `name` and the label names are valid Prometheus names (`[a-zA-Z_:][a-zA-Z0-9_:]*`,
    ///   labels without `:` and not starting with `__`), and `name` is none of the per-route metric names.
    ///   These are programming errors, caught on first use.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        precondition(Self.isValidName(name, allowColon: true), "invalid metric name '\(name)'")
        precondition(!Self.reservedNames.contains(name), "'\(name)' is one of the per-route metrics")
        for labelName in labels.keys {
            precondition(
                Self.isValidName(labelName, allowColon: false) && !labelName.hasPrefix("__"),
                "invalid label name '\(labelName)'"
            )
        }
        let key = CounterKey(name: name, labels: labels)
        return state.withLock { state in
            if let existing = state.counters[key] {
                return existing
            }
            let counter = Counter(name: name, labels: labels)
            state.counters[key] = counter
            if state.counterHelp[name] == nil {
                state.counterHelp[name] = help
            }
            return counter
        }
    }

    /// The whole exposition, in Prometheus text format 0.0.4 (`text/plain; version=0.0.4`). Series are
    /// sorted, so two scrapes of the same state are byte-identical.
    public func prometheusText() -> String {
        // Copy the references under the lock, read and format outside it.
        let (routes, counters, counterHelp, webSockets) = state.withLock { state in
            (Array(state.routes.values), Array(state.counters.values), state.counterHelp, Array(state.webSockets.values))
        }
        var writer = PrometheusTextWriter()
        writeRouteFamilies(routes, into: &writer)
        writeWebSocketFamilies(webSockets, into: &writer)
        writeCounterFamilies(counters, help: counterHelp, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func writeRouteFamilies(_ routes: [RouteMetrics], into writer: inout PrometheusTextWriter) {
        guard !routes.isEmpty else {
            return
        }
        let sorted = routes.sorted { left, right in
            (left.apiId, left.stage, left.route) < (right.apiId, right.stage, right.route)
        }
        let series = sorted.map { route in
            (
                labels: PrometheusTextWriter.renderLabels([("api_id", route.apiId), ("stage", route.stage), ("route", route.route)]),
                values: route.snapshot()
            )
        }

        writer.family(Self.requestsName, type: "counter", help: "Requests received, per API, stage and route (CloudWatch: Count).")
        for (labels, values) in series {
            writer.sample(Self.requestsName, labels: labels, value: values.requests)
        }
        writer.family(Self.clientErrorsName, type: "counter", help: "Requests answered with a 4XX status (CloudWatch: 4xx).")
        for (labels, values) in series {
            writer.sample(Self.clientErrorsName, labels: labels, value: values.clientErrors)
        }
        writer.family(Self.serverErrorsName, type: "counter", help: "Requests answered with a 5XX status (CloudWatch: 5xx).")
        for (labels, values) in series {
            writer.sample(Self.serverErrorsName, labels: labels, value: values.serverErrors)
        }
        writer.family(
            Self.latencyName,
            type: "histogram",
            help: "Time from receiving a request to sending the response, in milliseconds (CloudWatch: Latency)."
        )
        for (labels, values) in series {
            writeHistogram(Self.latencyNames, labels: labels, values.latency, into: &writer)
        }
        writer.family(
            Self.integrationLatencyName,
            type: "histogram",
            help: "Time from sending a request to the integration to receiving its response, in milliseconds "
                + "(CloudWatch: IntegrationLatency)."
        )
        for (labels, values) in series {
            writeHistogram(Self.integrationLatencyNames, labels: labels, values.integrationLatency, into: &writer)
        }
    }

    private func writeWebSocketFamilies(_ stages: [WebSocketStageMetrics], into writer: inout PrometheusTextWriter) {
        guard !stages.isEmpty else { return }
        let series = stages.sorted { ($0.apiId, $0.stage) < ($1.apiId, $1.stage) }.map { stage in
            (labels: PrometheusTextWriter.renderLabels([("api_id", stage.apiId), ("stage", stage.stage)]), values: stage.snapshot())
        }
        for family in WebSocketStageMetrics.families {
            writer.family(family.name, type: family.type, help: family.help)
            for (labels, values) in series {
                writer.sample(family.name, labels: labels, value: family.value(values))
            }
        }
    }

    private func writeHistogram(
        _ names: HistogramNames,
        labels: [UInt8],
        _ histogram: LatencyHistogram.Snapshot,
        into writer: inout PrometheusTextWriter
    ) {
        // Buckets are stored per range and exposed cumulatively, so `+Inf` always equals `_count`.
        var cumulative = 0
        for (index, count) in histogram.bucketCounts.enumerated() {
            cumulative += count
            writer.sample(names.bucket, labels: labels, extraLabel: ("le", Self.bucketLabels[index]), value: cumulative)
        }
        writer.sample(names.sum, labels: labels, thousandths: histogram.sumMicros)
        writer.sample(names.count, labels: labels, value: cumulative)
    }

    private func writeCounterFamilies(_ counters: [Counter], help: [String: String], into writer: inout PrometheusTextWriter) {
        let byName = Dictionary(grouping: counters, by: \.name)
        for name in byName.keys.sorted() {
            writer.family(name, type: "counter", help: help[name] ?? "")
            let series = byName[name, default: []].map { counter in
                (labels: counter.labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, value: counter.value)
            }
            let sorted = series.sorted { left, right in
                left.labels.lexicographicallyPrecedes(right.labels) { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            }
            for (labels, value) in sorted {
                writer.sample(name, labels: PrometheusTextWriter.renderLabels(labels), value: value)
            }
        }
    }

    private static func isValidName(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            case UInt8(ascii: ":"):
                return allowColon
            default:
                return false
            }
        }
    }
}
