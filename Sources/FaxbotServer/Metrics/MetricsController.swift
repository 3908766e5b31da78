import HTTPTypes
import Hummingbird

/// `GET /metrics`: Prometheus text, no key needed (no PHI in it), never rate limited.
struct MetricsController<Context: RequestContext> {
    let metrics: FaxbotMetrics
    let monitor: ProviderHealthMonitor
    let sessions: TelephonySessions

    func addRoutes(to router: Router<Context>) {
        router.get("/metrics") { _, _ in
            // Gauges that describe the present are read at scrape time.
            metrics.providers(monitor.statuses())
            metrics.sessions(ami: sessions.amiConnected, esl: sessions.eslConnected)
            let text = metrics.exposition()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
