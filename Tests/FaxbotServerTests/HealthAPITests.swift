import FaxbotCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// `/health/ready` and `/health/providers`: no key needed, reasons when not ready, no PHI.
@Suite struct HealthAPITests {
    @Test func aHealthyDaemonIsReadyAndSaysWhatItChecked() async throws {
        let daemon = try await TestDaemon.make { $0.documents.converterExecutable = "/bin/true" }
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/health/ready", key: nil)
            #expect(status == .ok)
            #expect(body["status"] as? String == "ready")
            #expect(
                body["checks"] as? [String: String] == [
                    "database": "ok", "spool": "ok", "ghostscript": "ok", "converter": "ok", "transport:test": "ok",
                ])
            #expect((body["reasons"] as? [String])?.isEmpty == true)
        }
    }

    @Test func aMissingConverterMakesTheDaemonNotReadyWithAReason() async throws {
        let daemon = try await TestDaemon.make { $0.documents.converterExecutable = "/nonexistent/faxbot" }
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/health/ready", key: nil)
            #expect(status == .serviceUnavailable)
            #expect(body["status"] as? String == "not_ready")
            #expect(body["reasons"] as? [String] == ["the conversion worker binary is missing"])
            #expect((body["checks"] as? [String: String])?["converter"] == "failed")
        }
    }

    @Test func providersShowEachTransportsBreaker() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/health/providers", key: nil)
            #expect(status == .ok)
            let providers = try #require(body["providers"] as? [[String: Any]])
            #expect(providers.count == 1)
            #expect(providers[0]["id"] as? String == "test")
            #expect(providers[0]["breaker"] as? String == "closed")
            #expect(providers[0]["status"] as? String == "healthy")
            #expect(providers[0]["consecutive_failures"] as? Int == 0)
        }
    }
}
