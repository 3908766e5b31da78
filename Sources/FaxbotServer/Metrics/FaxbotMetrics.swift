import FaxbotCore
import Foundation
import Prometheus

/// Every metric Faxbot exports, by name and help text, in one place: swift-prometheus collectors
/// (swift-metrics handler types) in one registry per daemon (no global bootstrap, no second
/// stack), exposed as Prometheus text on `GET /metrics` of the API port. Labels hold route templates, transport ids, statuses
/// and results: never a raw path, a number or a document name.
public final class FaxbotMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    public init() {}

    static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        .seconds(900), .seconds(1800), .seconds(3600),
    ]

    // The names. Each is `faxbot_<name>_<unit>`.
    static var requests: MetricNameDescriptor { name("requests", "total", "HTTP requests by method, route template and status.") }
    static var requestDuration: MetricNameDescriptor { name("request_duration", "seconds", "HTTP request latency by method and route template.") }
    static var jobs: MetricNameDescriptor { name("fax_jobs", "total", "Fax jobs entering a status (queued on acceptance, then their final status).") }
    static var jobDuration: MetricNameDescriptor { name("fax_job_duration", "seconds", "Time from acceptance to a fax job's final status.") }
    static var pages: MetricNameDescriptor { name("fax_pages", "total", "Pages delivered.") }
    static var providerHealth: MetricNameDescriptor {
        name("provider_health", "", "1 when a transport is up (breaker not open, last check passed), else 0.")
    }
    static var providerResponse: MetricNameDescriptor { name("provider_response_time", "seconds", "Time a transport took to accept an attempt.") }
    static var breakerState: MetricNameDescriptor {
        name("circuit_breaker_state", "", "A transport's circuit breaker: 0 closed, 1 half-open, 2 open.")
    }
    static var authAttempts: MetricNameDescriptor { name("auth_attempts", "total", "API authentications by result.") }
    static var amiConnected: MetricNameDescriptor { name("ami_connected", "", "1 while the Asterisk AMI session is up.") }
    static var eslConnected: MetricNameDescriptor { name("esl_connected", "", "1 while the FreeSWITCH ESL session is up.") }
    static var inboundFaxes: MetricNameDescriptor { name("inbound_faxes", "total", "Received faxes recorded, by transport and status.") }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "faxbot", metricName: metric, unitName: unit, helpText: help)
    }

    // MARK: HTTP

    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration, labels: [("method", method), ("route", route)], buckets: Self.durationBuckets
        )
        .record(duration)
    }

    func authAttempt(success: Bool) {
        registry.makeCounter(descriptor: Self.authAttempts, labels: [("result", success ? "success" : "failure")]).increment()
    }

    // MARK: Jobs

    /// A job entered `status` (`queued` when accepted, or a final status).
    func job(provider: String, direction: String = "outbound", status: String) {
        registry.makeCounter(descriptor: Self.jobs, labels: [("provider", provider), ("direction", direction), ("status", status)]).increment()
    }

    /// A job reached a final status (a transition's `to`).
    func jobEnded(_ job: Job) {
        let duration = (job.completedAt ?? job.updatedAt).timeIntervalSince(job.createdAt)
        jobEnded(
            provider: job.backend, status: job.status.rawValue, duration: .milliseconds(Int64(max(0, duration) * 1000)),
            pages: job.status == .delivered ? job.pagesSent : 0)
    }

    /// A job ended: how long it took from acceptance, and the pages it delivered.
    func jobEnded(provider: String, direction: String = "outbound", status: String, duration: Duration, pages: Int) {
        job(provider: provider, direction: direction, status: status)
        registry.makeDurationHistogram(
            descriptor: Self.jobDuration, labels: [("provider", provider), ("status", status)], buckets: Self.durationBuckets
        )
        .record(duration)
        if pages > 0 {
            registry.makeCounter(descriptor: Self.pages, labels: [("provider", provider), ("direction", direction)]).increment(by: Int64(pages))
        }
    }

    // MARK: Transports

    func providerResponse(provider: String, duration: Duration) {
        registry.makeDurationHistogram(descriptor: Self.providerResponse, labels: [("provider", provider)], buckets: Self.durationBuckets)
            .record(duration)
    }

    /// Health (1 up, 0 down) and breaker state (0 closed, 1 half-open, 2 open) of each transport.
    func providers(_ statuses: [ProviderHealthMonitor.Status]) {
        for status in statuses {
            let up = status.breaker != .open && status.lastCheckOK != false
            registry.makeGauge(descriptor: Self.providerHealth, labels: [("provider", status.id)]).set(to: up ? 1 : 0)
            let state: Double =
                switch status.breaker {
                case .closed: 0
                case .halfOpen: 1
                case .open: 2
                }
            registry.makeGauge(descriptor: Self.breakerState, labels: [("provider", status.id)]).set(to: state)
        }
    }

    /// Persistent telephony sessions (1 connected); 0 while no such transport is configured.
    func sessions(ami: Bool, esl: Bool) {
        registry.makeGauge(descriptor: Self.amiConnected).set(to: ami ? 1 : 0)
        registry.makeGauge(descriptor: Self.eslConnected).set(to: esl ? 1 : 0)
    }

    // MARK: Inbound

    /// A received fax was recorded (`received`, `partial` or `failed`).
    func inboundFax(transport: String, status: String) {
        registry.makeCounter(descriptor: Self.inboundFaxes, labels: [("transport", transport), ("status", status)]).increment()
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
