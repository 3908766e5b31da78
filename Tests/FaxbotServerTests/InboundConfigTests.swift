import Foundation
import Testing

@testable import FaxbotServer

@Suite struct InboundConfigTests {
    /// An empty configuration file, so the repository's config/faxbot.yaml plays no part.
    private static let noFile: [String: String] = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-empty-\(UUID().uuidString).yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("{}\n".utf8))
        return ["FAXBOT_CONFIG": path]
    }()

    @Test func defaults() {
        let (config, issues) = ConfigLoader(environment: Self.noFile).load()
        #expect(issues.isEmpty)
        #expect(config.inbound == InboundSettings())
        #expect(config.inbound.enabled)
        #expect(config.inbound.retentionDays == 30)
        #expect(config.inbound.tokenTTLMinutes == 60)
        #expect(config.inbound.secret == nil)
        #expect(config.inboundSpoolDir == "./faxdata/incoming")
        #expect(config.inboundStoreDir == "./faxdata/inbound")
    }

    @Test func theV3NamesAndTheNewOnesAreRead() throws {
        let environment = Self.noFile.merging([
            "INBOUND_ENABLED": "false", "INBOUND_RETENTION_DAYS": "7", "INBOUND_TOKEN_TTL_MINUTES": "5",
            "ASTERISK_INBOUND_SECRET": "0123456789abcdef-secret", "FAXBOT_INBOUND_DIR": "/var/spool/faxbot/inbound",
            "FAXBOT_INBOUND_MAILBOXES": "+15551230000=front-desk, 15559990000 = billing",
        ]) { $1 }
        let (config, issues) = ConfigLoader(environment: environment).load()
        #expect(issues.isEmpty)
        #expect(!config.inbound.enabled)
        #expect(config.inbound.retentionDays == 7)
        #expect(config.inbound.tokenTTLMinutes == 5)
        #expect(config.inbound.secret == "0123456789abcdef-secret")
        #expect(config.inboundSpoolDir == "/var/spool/faxbot/inbound")
        #expect(config.inbound.mailbox(for: "15551230000") == "front-desk")
        #expect(config.inbound.mailbox(for: "+15559990000") == "billing")
        #expect(config.inbound.mailbox(for: "+15550000000") == "default")
        #expect(config.inbound.mailbox(for: nil) == "default")
    }

    @Test func theSecretMayBeStoredEncrypted() throws {
        let key = Fernet.generateKey()
        let token = try Fernet(key: key).encrypt(Data("an-inbound-secret-of-some-length".utf8))
        let environment = Self.noFile.merging(["CONFIG_MASTER_KEY": key, "ASTERISK_INBOUND_SECRET": "fernet:\(token)"]) { $1 }
        let (config, issues) = ConfigLoader(environment: environment).load()
        #expect(issues.isEmpty)
        #expect(config.inbound.secret == "an-inbound-secret-of-some-length")
    }

    @Test(arguments: [
        ("INBOUND_ENABLED", "maybe"), ("INBOUND_RETENTION_DAYS", "-1"), ("INBOUND_RETENTION_DAYS", "forever"),
        ("INBOUND_TOKEN_TTL_MINUTES", "0"), ("ASTERISK_INBOUND_SECRET", "short"), ("FAXBOT_INBOUND_MAILBOXES", "front-desk"),
        ("FAXBOT_INBOUND_MAILBOXES", "+1555=has space"), ("FAXBOT_INBOUND_MAILBOXES", "555-1234=x"),
        ("FAXBOT_INBOUND_MAILBOXES", "15551230000=a,+15551230000=b"),
    ])
    func badValuesAreExplained(_ name: String, _ value: String) {
        let (_, issues) = ConfigLoader(environment: Self.noFile.merging([name: value]) { $1 }).load()
        #expect(issues.count == 1)
        #expect(issues.first?.key.hasPrefix("inbound.") == true)
        #expect(issues.first?.source == "environment (\(name))")
    }

    @Test func theYAMLKeysAreKnown() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-\(UUID().uuidString).yaml").path
        try """
        inbound:
          enabled: true
          retention_days: 90
          token_ttl_minutes: 15
          spool_dir: /srv/fax/in
          mailboxes: "+15551230000=front-desk"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (config, issues) = ConfigLoader(environment: [:], configPath: path).load()
        #expect(issues.isEmpty)
        #expect(config.inbound.retentionDays == 90)
        #expect(config.inbound.tokenTTLMinutes == 15)
        #expect(config.inboundSpoolDir == "/srv/fax/in")
        #expect(config.inbound.mailboxes == ["15551230000": "front-desk"])
    }
}
