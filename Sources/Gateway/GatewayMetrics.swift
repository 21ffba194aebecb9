import HTTPServer
import Prometheus
import Synchronization

/// The gateway's Prometheus metrics, served at `GET /metrics`.
public final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    /// The counter and histogram of each route and status seen, so a request costs no registry lookup (bounded: the
    /// routes are the router's patterns, and statuses are three digits).
    private let perRoute = Mutex([RouteStatus: (requests: Counter, latency: DurationHistogram)]())

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    /// Made once: the registry's lookup costs more than the count.
    private let presignedURLs: Counter

    public init() {
        presignedURLs = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "presigned_urls", unitName: "total", helpText: "Presigned URLs issued."))
    }

    /// Counts a request by route and status and records its latency by route.
    func request(route: String, status: Int, duration: Duration) {
        let key = RouteStatus(route: route, status: status)
        if let known = perRoute.withLock({ $0[key] }) {
            known.requests.increment()
            known.latency.record(duration)
            return
        }
        let requests = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "http_requests", unitName: "total", helpText: "Requests by route and status."),
            labels: [("route", route), ("status", String(status))])
        let latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "http_request_duration", unitName: "seconds", helpText: "Request latency."),
            labels: [("route", route)], buckets: Self.buckets)
        perRoute.withLock { $0[key] = (requests, latency) }
        requests.increment()
        latency.record(duration)
    }

    /// Counts presigned URLs handed out.
    func presigned(_ count: Int) { presignedURLs.increment(by: Int64(count)) }

    /// Counts upload checks by outcome (`passed` or `failed`).
    func uploadCheck(passed: Bool) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "upload_checks", unitName: "total", helpText: "Upload checks by result."),
            labels: [("result", passed ? "passed" : "failed")]
        ).increment()
    }

    /// Counts one thing the lifecycle sweeper deleted, by kind (`orphan`, `multipart`, `share_objects`, `tombstone`).
    func lifecycleDeleted(_ kind: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "lifecycle_deleted", unitName: "total", helpText: "What the lifecycle sweeper deleted, by kind."),
            labels: [("kind", kind)]
        ).increment()
    }

    /// Counts a download log entry that was not written (its writer fell behind, or the store refused it).
    func downloadLogDropped() {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "dropgate", metricName: "download_log_dropped", unitName: "total",
                helpText: "Download log entries not written (the writer fell behind, or the store refused)."),
            labels: []
        ).increment()
    }

    /// The handler of the metrics listener: `GET /metrics`, and 404 for anything else.
    public var handler: HTTPHandlerFunction {
        HTTPHandlerFunction { [self] request, _ in
            guard request.method == "GET" || request.method == "HEAD", request.path == "/metrics" else {
                return HTTPResponse.text(404, "Only GET /metrics is served here.\n")
            }
            return response
        }
    }

    /// The Prometheus text exposition as an answer.
    public var response: HTTPResponse { HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: text) }

    /// The Prometheus text exposition.
    public var text: String { registry.emitToString() }
}
