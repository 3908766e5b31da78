import Foundation
import Testing

@testable import FaxbotServer

/// Fernet against the spec's own vector, and `fernet:` values in the configuration.
@Suite struct FernetTests {
    // github.com/fernet/spec generate.json: "hello" at 1985-10-26T01:20:00-07:00 with IV 0…15.
    static let key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
    static let token = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="

    @Test func theSpecVectorEncryptsAndDecrypts() throws {
        let fernet = try Fernet(key: Self.key)
        let made = try fernet.encrypt(Data("hello".utf8), at: Date(timeIntervalSince1970: 499_162_800), iv: Array(0..<16))
        #expect(made == Self.token)
        #expect(try fernet.decrypt(Self.token) == Data("hello".utf8))
    }

    @Test func aRoundTripWithARandomKeyAndIV() throws {
        let fernet = try Fernet(key: Fernet.generateKey())
        let secret = Data("sk_live_0123456789 ✓".utf8)
        let first = try fernet.encrypt(secret)
        #expect(try fernet.decrypt(first) == secret)
        #expect(try fernet.encrypt(secret) != first, "a fresh IV each time")
    }

    @Test(arguments: [
        "", "not base64 !!", String(token.dropLast(4)), token.replacingOccurrences(of: "gAAAAA", with: "gBAAAA"),
        String(token.prefix(40)) + "A" + String(token.dropFirst(41)),
    ])
    func aDamagedTokenIsRefused(token: String) throws {
        #expect(throws: Fernet.Failure.badToken) { try Fernet(key: Self.key).decrypt(token) }
    }

    @Test func anotherKeyCannotDecrypt() throws {
        #expect(throws: Fernet.Failure.badToken) { try Fernet(key: Fernet.generateKey()).decrypt(Self.token) }
    }

    @Test(arguments: ["", "short", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4", String(repeating: "A", count: 60)])
    func aBadKeyIsRefused(key: String) {
        #expect(throws: Fernet.Failure.badKey) { try Fernet(key: key) }
    }

    @Test func encryptedConfigValuesAreDecryptedWithTheMasterKey() {
        let (config, issues) = ConfigLoader(environment: ["CONFIG_MASTER_KEY": Self.key, "API_KEY": "fernet:" + Self.token]).load()
        #expect(issues.isEmpty)
        #expect(config.apiKey == "hello")
    }

    @Test func anEncryptedValueWithoutTheMasterKeyIsExplained() {
        let (config, issues) = ConfigLoader(environment: ["API_KEY": "fernet:" + Self.token]).load()
        #expect(config.apiKey == nil)
        #expect(issues.map(\.message) == ["the value is encrypted (fernet:…) but CONFIG_MASTER_KEY is not set"])
        let (_, wrong) = ConfigLoader(environment: ["CONFIG_MASTER_KEY": Fernet.generateKey(), "API_KEY": "fernet:" + Self.token]).load()
        #expect(wrong.map(\.key) == ["api_key"])
    }

    @Test func bootFailsWhenSecretsAreRequiredAndMissing() {
        let (_, issues) = ConfigLoader(environment: ["BOOT_FAIL_ON_MISSING_SECRETS": "true"]).load()
        #expect(
            issues.map(\.message) == ["BOOT_FAIL_ON_MISSING_SECRETS is on and CONFIG_MASTER_KEY and FAXBOT_SESSION_PEPPER are not set"])
        let (_, fine) = ConfigLoader(
            environment: [
                "BOOT_FAIL_ON_MISSING_SECRETS": "true", "CONFIG_MASTER_KEY": Self.key, "FAXBOT_SESSION_PEPPER": "pepper-0123456789abcdef",
            ]
        ).load()
        #expect(fine.isEmpty)
    }
}
