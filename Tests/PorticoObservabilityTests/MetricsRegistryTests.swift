import Dispatch
import Testing

@testable import PorticoObservability

struct MetricsRegistryTests {
    private static let labels = ["api_id": "a1", "stage": "prod", "route": "GET /items/{id}"]
    private static let bucketBounds = [
        "0.5", "1", "2.5", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000", "30000", "+Inf",
    ]

    private static func labels(_ base: [String: String], le: String) -> [String: String] {
        base.merging(["le": le]) { _, new in new }
    }

    @Test func sameLabelsGiveTheSameObject() {
        let registry = MetricsRegistry()
        let first = registry.routeMetrics(apiId: "a1", stage: "prod", route: "$default")
        #expect(first === registry.routeMetrics(apiId: "a1", stage: "prod", route: "$default"))
        #expect(first !== registry.routeMetrics(apiId: "a1", stage: "dev", route: "$default"))
        #expect(first !== registry.routeMetrics(apiId: "a2", stage: "prod", route: "$default"))
        #expect(first !== registry.routeMetrics(apiId: "a1", stage: "prod", route: "GET /"))
    }

    @Test func emptyRegistryExposesNothing() throws {
        let text = MetricsRegistry().prometheusText()
        #expect(text == "")
        #expect(try PrometheusTextParser(text).samples.isEmpty)
    }

    @Test func countsRequestsAndErrorClasses() throws {
        let registry = MetricsRegistry()
        let route = registry.routeMetrics(apiId: "a1", stage: "prod", route: "GET /items/{id}")
        for status in [200, 201, 302, 400, 404, 429, 499, 500, 502, 599, 600, 100] {
            route.record(status: status, latencyMillis: 1, integrationLatencyMillis: nil)
        }
        let exposition = try PrometheusTextParser(registry.prometheusText())
        #expect(exposition.value("portico_requests_total", Self.labels) == 12)
        #expect(exposition.value("portico_4xx_total", Self.labels) == 4)
        #expect(exposition.value("portico_5xx_total", Self.labels) == 3)
        #expect(exposition.types["portico_requests_total"] == "counter")
        #expect(exposition.types["portico_4xx_total"] == "counter")
        #expect(exposition.types["portico_5xx_total"] == "counter")
        #expect(exposition.types["portico_latency_milliseconds"] == "histogram")
        #expect(exposition.types["portico_integration_latency_milliseconds"] == "histogram")
        #expect(exposition.help["portico_requests_total"]?.isEmpty == false)
    }

    @Test func histogramBucketsAreExact() throws {
        let registry = MetricsRegistry()
        let route = registry.routeMetrics(apiId: "a1", stage: "prod", route: "GET /items/{id}")
        // Milliseconds, each on or just past a bound: `le` is inclusive.
        let latencies = [0, 1, 1, 2, 3, 5, 10, 11, 100, 1000, 29_999, 30_000, 30_001, 100_000]
        for latency in latencies {
            route.record(status: 200, latencyMillis: latency, integrationLatencyMillis: latency / 2)
        }
        route.record(status: 200, latencyNanoseconds: 250_000, integrationLatencyNanoseconds: 1_500_000)  // 0.25 ms, 1.5 ms
        route.record(status: 503, latencyNanoseconds: 1_001_000, integrationLatencyNanoseconds: nil)  // just over 1 ms

        let exposition = try PrometheusTextParser(registry.prometheusText())
        let expectedLatency: [Double] = [2, 4, 6, 8, 9, 10, 10, 11, 11, 11, 12, 12, 12, 12, 14, 16]
        for (bound, expected) in zip(Self.bucketBounds, expectedLatency) {
            #expect(exposition.value("portico_latency_milliseconds_bucket", Self.labels(Self.labels, le: bound)) == expected, "le=\(bound)")
        }
        #expect(exposition.value("portico_latency_milliseconds_count", Self.labels) == 16)
        #expect(exposition.value("portico_latency_milliseconds_sum", Self.labels) == 191_134.251)
        #expect(exposition.value("portico_requests_total", Self.labels) == 16)

        // Halves (integer division): 0, 0, 0, 1, 1, 2, 5, 5, 50, 500, 14999, 15000, 15000, 50000, plus 1.5 ms.
        let expectedIntegration: [Double] = [3, 5, 7, 9, 9, 9, 10, 10, 10, 11, 11, 11, 11, 11, 14, 15]
        for (bound, expected) in zip(Self.bucketBounds, expectedIntegration) {
            #expect(
                exposition.value("portico_integration_latency_milliseconds_bucket", Self.labels(Self.labels, le: bound)) == expected,
                "le=\(bound)"
            )
        }
        #expect(exposition.value("portico_integration_latency_milliseconds_count", Self.labels) == 15)
        #expect(exposition.value("portico_integration_latency_milliseconds_sum", Self.labels) == 95_564.5)
        #expect(exposition.value("portico_5xx_total", Self.labels) == 1)
    }

    @Test func sumsAreWrittenAsPlainDecimals() {
        let registry = MetricsRegistry()
        let route = registry.routeMetrics(apiId: "a", stage: "s", route: "r")
        route.record(status: 200, latencyNanoseconds: 12_345_678, integrationLatencyNanoseconds: 3_000_000)
        let text = registry.prometheusText()
        #expect(text.contains(#"portico_latency_milliseconds_sum{api_id="a",stage="s",route="r"} 12.345"# + "\n"))
        #expect(text.contains(#"portico_integration_latency_milliseconds_sum{api_id="a",stage="s",route="r"} 3"# + "\n"))
        #expect(text.contains(#"portico_latency_milliseconds_bucket{api_id="a",stage="s",route="r",le="0.5"} 0"# + "\n"))
        #expect(text.contains(#"portico_latency_milliseconds_bucket{api_id="a",stage="s",route="r",le="+Inf"} 1"# + "\n"))
    }

    @Test func exactExpositionForOneRoute() {
        let registry = MetricsRegistry()
        let route = registry.routeMetrics(apiId: "a", stage: "s", route: "$default")
        route.record(status: 404, latencyMillis: 7, integrationLatencyMillis: nil)
        let labels = #"api_id="a",stage="s",route="$default""#
        var expected = """
            # HELP portico_requests_total Requests received, per API, stage and route (CloudWatch: Count).
            # TYPE portico_requests_total counter
            portico_requests_total{\(labels)} 1
            # HELP portico_4xx_total Requests answered with a 4XX status (CloudWatch: 4xx).
            # TYPE portico_4xx_total counter
            portico_4xx_total{\(labels)} 1
            # HELP portico_5xx_total Requests answered with a 5XX status (CloudWatch: 5xx).
            # TYPE portico_5xx_total counter
            portico_5xx_total{\(labels)} 0
            # HELP portico_latency_milliseconds Time from receiving a request to sending the response, in milliseconds (CloudWatch: Latency).
            # TYPE portico_latency_milliseconds histogram

            """
        for (index, bound) in Self.bucketBounds.enumerated() {
            expected += "portico_latency_milliseconds_bucket{\(labels),le=\"\(bound)\"} \(index >= 4 ? 1 : 0)\n"
        }
        expected += """
            portico_latency_milliseconds_sum{\(labels)} 7
            portico_latency_milliseconds_count{\(labels)} 1
            # HELP portico_integration_latency_milliseconds Time from sending a request to the integration to receiving its response, in milliseconds (CloudWatch: IntegrationLatency).
            # TYPE portico_integration_latency_milliseconds histogram

            """
        for bound in Self.bucketBounds {
            expected += "portico_integration_latency_milliseconds_bucket{\(labels),le=\"\(bound)\"} 0\n"
        }
        expected += """
            portico_integration_latency_milliseconds_sum{\(labels)} 0
            portico_integration_latency_milliseconds_count{\(labels)} 0

            """
        #expect(registry.prometheusText() == expected)
    }

    @Test func labelValuesAreEscaped() throws {
        let registry = MetricsRegistry()
        let route = "GET /a\"b\\c\nd/{id}"
        registry.routeMetrics(apiId: "a1", stage: "pr\"od", route: route).record(status: 200, latencyMillis: 1, integrationLatencyMillis: 1)
        let text = registry.prometheusText()
        #expect(text.contains(#"portico_requests_total{api_id="a1",stage="pr\"od",route="GET /a\"b\\c\nd/{id}"} 1"#))
        let exposition = try PrometheusTextParser(text)
        #expect(exposition.value("portico_requests_total", ["api_id": "a1", "stage": "pr\"od", "route": route]) == 1)
    }

    @Test func seriesAreSortedAndFamiliesContiguous() throws {
        let registry = MetricsRegistry()
        for (api, stage, route) in [("b", "prod", "GET /"), ("a", "prod", "POST /x"), ("a", "dev", "GET /"), ("a", "prod", "GET /")] {
            registry.routeMetrics(apiId: api, stage: stage, route: route).record(status: 200, latencyMillis: 1, integrationLatencyMillis: nil)
        }
        let text = registry.prometheusText()
        let exposition = try PrometheusTextParser(text)  // throws if a family were split
        let order = exposition.samples.filter { $0.name == "portico_requests_total" }.map { sample in
            [sample.labels["api_id"]!, sample.labels["stage"]!, sample.labels["route"]!]
        }
        #expect(order == [["a", "dev", "GET /"], ["a", "prod", "GET /"], ["a", "prod", "POST /x"], ["b", "prod", "GET /"]])
        #expect(text == registry.prometheusText())
    }

    @Test func removingAnAPIDropsItsSeries() throws {
        let registry = MetricsRegistry()
        let kept = registry.routeMetrics(apiId: "keep", stage: "prod", route: "$default")
        let removed = registry.routeMetrics(apiId: "gone", stage: "prod", route: "$default")
        _ = registry.routeMetrics(apiId: "gone", stage: "dev", route: "GET /")
        kept.record(status: 200, latencyMillis: 1, integrationLatencyMillis: nil)
        removed.record(status: 200, latencyMillis: 1, integrationLatencyMillis: nil)

        registry.remove(apiId: "gone")
        let exposition = try PrometheusTextParser(registry.prometheusText())
        #expect(Set(exposition.samples.compactMap { $0.labels["api_id"] }) == ["keep"])
        removed.record(status: 200, latencyMillis: 1, integrationLatencyMillis: nil)  // still safe to use
        let fresh = registry.routeMetrics(apiId: "gone", stage: "prod", route: "$default")
        #expect(fresh !== removed)
        let after = try PrometheusTextParser(registry.prometheusText())
        #expect(after.value("portico_requests_total", ["api_id": "gone", "stage": "prod", "route": "$default"]) == 0)
    }

    @Test func removingAStageDropsOnlyThatStage() throws {
        let registry = MetricsRegistry()
        _ = registry.routeMetrics(apiId: "a", stage: "prod", route: "$default")
        _ = registry.routeMetrics(apiId: "a", stage: "dev", route: "$default")
        _ = registry.routeMetrics(apiId: "b", stage: "dev", route: "$default")
        registry.remove(apiId: "a", stage: "dev")
        let exposition = try PrometheusTextParser(registry.prometheusText())
        let series = Set(exposition.samples.filter { $0.name == "portico_requests_total" }.map { "\($0.labels["api_id"]!)/\($0.labels["stage"]!)" })
        #expect(series == ["a/prod", "b/dev"])
    }

    @Test func processCounters() throws {
        let registry = MetricsRegistry()
        let errors = registry.counter(
            "portico_upstream_connect_errors_total",
            help: "Failed upstream connects.\nPer host.",
            labels: ["host": "b", "port": "80"]
        )
        #expect(errors === registry.counter("portico_upstream_connect_errors_total", help: "ignored", labels: ["port": "80", "host": "b"]))
        let other = registry.counter("portico_upstream_connect_errors_total", help: "ignored", labels: ["host": "a\"x", "port": "80"])
        let plain = registry.counter("portico_access_log_dropped_total", help: "Dropped access-log lines.")
        errors.increment()
        errors.increment(by: 4)
        other.increment()
        #expect(errors.value == 5)

        let text = registry.prometheusText()
        #expect(
            text == """
                # HELP portico_access_log_dropped_total Dropped access-log lines.
                # TYPE portico_access_log_dropped_total counter
                portico_access_log_dropped_total 0
                # HELP portico_upstream_connect_errors_total Failed upstream connects.\\nPer host.
                # TYPE portico_upstream_connect_errors_total counter
                portico_upstream_connect_errors_total{host="a\\"x",port="80"} 1
                portico_upstream_connect_errors_total{host="b",port="80"} 5

                """
        )
        let exposition = try PrometheusTextParser(text)
        #expect(exposition.help["portico_upstream_connect_errors_total"] == "Failed upstream connects.\nPer host.")
        #expect(exposition.value("portico_access_log_dropped_total", [:]) == 0)
        _ = plain
    }

    @Test func concurrentRecordingGivesExactTotals() throws {
        let registry = MetricsRegistry()
        let threads = 8
        let perThread = 20_000
        let counter = registry.counter("portico_test_total", help: "test")
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            // Every thread looks the objects up itself, as several event loops compiling the same deployment would.
            let shared = registry.routeMetrics(apiId: "a", stage: "s", route: "$default")
            let own = registry.routeMetrics(apiId: "a", stage: "s", route: "GET /\(thread)")
            for index in 0..<perThread {
                let status = [200, 404, 503, 200][index % 4]
                shared.record(status: status, latencyMillis: index % 7, integrationLatencyMillis: index % 2 == 0 ? 3 : nil)
                own.record(status: 200, latencyMillis: 1, integrationLatencyMillis: nil)
                counter.increment()
            }
        }
        let exposition = try PrometheusTextParser(registry.prometheusText())
        let shared = ["api_id": "a", "stage": "s", "route": "$default"]
        let total = Double(threads * perThread)
        #expect(exposition.value("portico_requests_total", shared) == total)
        #expect(exposition.value("portico_4xx_total", shared) == total / 4)
        #expect(exposition.value("portico_5xx_total", shared) == total / 4)
        #expect(exposition.value("portico_latency_milliseconds_count", shared) == total)
        #expect(exposition.value("portico_integration_latency_milliseconds_count", shared) == total / 2)
        #expect(exposition.value("portico_integration_latency_milliseconds_sum", shared) == total / 2 * 3)
        // index % 7 summed over 0..<20000 per thread.
        let perThreadSum = (0..<perThread).reduce(0) { $0 + $1 % 7 }
        #expect(exposition.value("portico_latency_milliseconds_sum", shared) == Double(perThreadSum * threads))
        for thread in 0..<threads {
            #expect(exposition.value("portico_requests_total", ["api_id": "a", "stage": "s", "route": "GET /\(thread)"]) == Double(perThread))
        }
        #expect(exposition.value("portico_test_total", [:]) == total)
    }

    @Test func bucketIndexBoundaries() {
        #expect(LatencyHistogram.bucketIndex(forMicros: 0) == 0)
        #expect(LatencyHistogram.bucketIndex(forMicros: 500) == 0)
        #expect(LatencyHistogram.bucketIndex(forMicros: 501) == 1)
        #expect(LatencyHistogram.bucketIndex(forMicros: 30_000_000) == 14)
        #expect(LatencyHistogram.bucketIndex(forMicros: 30_000_001) == 15)
        #expect(LatencyHistogram.bucketIndex(forMicros: .max) == 15)
        #expect(MetricsRegistry.bucketLabels == Self.bucketBounds)
    }
}
