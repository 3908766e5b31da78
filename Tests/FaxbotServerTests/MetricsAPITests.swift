import FaxbotCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// `GET /metrics`: one Prometheus registry per daemon, route templates in labels.
@Suite struct MetricsAPITests {
    static func scrape(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, String, String?) {
        try await client.execute(uri: "/metrics", method: .get) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType])
        }
    }

    @Test func requestsJobsAuthAndProvidersAreExported() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (accepted, _, _) = try await client.submit(.fax(to: "+15551230000"))
            #expect(accepted == .accepted)
            _ = try await client.getJSON("/fax/0123456789abcdef0123456789abcdef")
            _ = try await client.getJSON("/fax", key: "wrong")
            _ = try await client.getJSON("/no/such/path/5551230000")
            let (status, text, contentType) = try await Self.scrape(client)
            #expect(status == .ok)
            #expect(contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            for line in [
                #"faxbot_requests_total{method="POST",route="/fax",status="202"} 1"#,
                #"faxbot_requests_total{method="GET",route="/fax/{id}",status="404"} 1"#,
                #"faxbot_requests_total{method="GET",route="/fax",status="401"} 1"#,
                #"faxbot_requests_total{method="GET",route="unmatched",status="404"} 1"#,
                #"faxbot_fax_jobs_total{provider="test",direction="outbound",status="queued"} 1"#,
                #"faxbot_auth_attempts_total{result="failure"} 1"#,
                #"faxbot_provider_health{provider="test"} 1"#,
                #"faxbot_circuit_breaker_state{provider="test"} 0"#,
                "faxbot_ami_connected 0",
                "faxbot_esl_connected 0",
            ] {
                #expect(text.contains(line), "\(line)")
            }
            #expect(text.contains("faxbot_request_duration_seconds_bucket{"))
            // No raw paths, ids or numbers in any label.
            #expect(!text.contains("0123456789abcdef"))
            #expect(!text.contains("5551230000"))
            #expect(!text.contains("/no/such/path"))
        }
    }

    @Test func aJobThatEndsIsCountedWithItsPagesAndDuration() throws {
        let metrics = FaxbotMetrics()
        var job = Job(
            id: JobID.make(), to: try PhoneNumber(parsing: "+15551230000"), pagesTotal: 3, maxAttempts: 3, backend: "test",
            createdAt: Date(timeIntervalSince1970: 0))
        job.status = .delivered
        job.pagesSent = 3
        job.completedAt = Date(timeIntervalSince1970: 95)
        metrics.jobEnded(job)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains(#"faxbot_fax_jobs_total{provider="test",direction="outbound",status="delivered"} 1"#))
        #expect(text.contains(#"faxbot_fax_pages_total{provider="test",direction="outbound"} 3"#))
        #expect(text.contains(#"faxbot_fax_job_duration_seconds_bucket{provider="test",status="delivered",le="300.0"} 1"#))
        #expect(text.contains(#"faxbot_fax_job_duration_seconds_bucket{provider="test",status="delivered",le="60.0"} 0"#))
    }

    @Test(arguments: [("/fax/:id", "/fax/{id}"), ("/fax/:id/events", "/fax/{id}/events"), ("/health", "/health")])
    func routeTemplatesUseBraces(path: String, template: String) {
        #expect(MetricsMiddleware<BasicRequestContext>.template(path) == template)
    }
}
