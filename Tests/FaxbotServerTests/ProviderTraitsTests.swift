import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// The committed traits file, its loader, and `GET /admin/providers`.
@Suite struct ProviderTraitsTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/provider_traits.json")
        .standardized.path

    @Test func theCommittedFileDescribesAllSevenTransports() throws {
        let traits = try ProviderTraits.load(path: Self.committed)
        #expect(Set(traits.transports.keys) == ProviderTraits.knownTransports)
        #expect(traits.transports["phaxio"]?.webhook.verification == .hmacSHA1)
        #expect(traits.transports["phaxio"]?.webhook.verifyHeader == "X-Phaxio-Signature")
        #expect(traits.transports["signalwire"]?.webhook.verification == .hmacSHA1)
        #expect(traits.transports["sinch"]?.webhook.verification == .basicAuth)
        #expect(traits.transports["asterisk"]?.documentFormat == "tiff")
        #expect(traits.transports["phaxio"]?.documentFormat == "pdf")
    }

    @Test(arguments: [
        (#"{"version": 2, "transports": {}}"#, "version must be 1"),
        (#"{"version": 1, "transports": {}}"#, "does not describe"),
        ("not json", "is not valid transport traits"),
    ])
    func aBadFileIsRefusedWithAReason(content: String, fragment: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("traits-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try ProviderTraits.load(path: path)
        } throws: { error in
            (error as? ProviderTraits.LoadError)?.description.contains(fragment) == true
        }
    }

    @Test func adminProvidersServesTraitsAndConfigSchemasToAdminsOnly() async throws {
        let daemon = try await TestDaemon.make { $0.traitsFile = Self.committed }
        try await daemon.withClient { client in
            let (status, body) = try await client.getJSON("/admin/providers")
            #expect(status == .ok)
            let providers = try #require(body["providers"] as? [[String: Any]])
            #expect(providers.map { $0["id"] as? String } == ["asterisk", "freeswitch", "humblefax", "phaxio", "signalwire", "sinch", "test"])
            let test = try #require(providers.first { $0["id"] as? String == "test" })
            #expect(test["configured"] as? Bool == true)
            let phaxio = try #require(providers.first { $0["id"] as? String == "phaxio" })
            #expect(phaxio["configured"] as? Bool == false)
            #expect((phaxio["webhook"] as? [String: Any])?["verification"] as? String == "hmac_sha1")
            #expect(((phaxio["config_schema"] as? [String: Any])?["required"] as? [String]) == ["api_key", "api_secret", "callback_token"])
            let (anonymous, _) = try await client.getJSON("/admin/providers", key: nil)
            #expect(anonymous == .unauthorized)
        }
    }

    @Test func anExplicitTraitsFileThatCannotBeReadStopsTheStart() async throws {
        await #expect(throws: StartupError.self) {
            _ = try await TestDaemon.make { $0.traitsFile = "/nonexistent/provider_traits.json" }
        }
    }
}
