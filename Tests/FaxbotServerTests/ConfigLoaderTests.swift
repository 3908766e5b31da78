import FaxTransports
import FaxbotCore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

@Suite struct ConfigLoaderTests {
    private static func file(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsWhenNothingIsSet() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)").path
        let (config, issues) = ConfigLoader(environment: ["FAXBOT_CONFIG_UNUSED": "x"], configPath: nil).load()
        #expect(issues.isEmpty)
        #expect(config.listenHost == "127.0.0.1")
        #expect(config.listenPort == 8080)
        #expect(config.backend == "test")
        #expect(config.maxFileSizeMB == 10)
        #expect(config.retryPolicy.maxAttempts == 3)
        #expect(config.apiKey == nil)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func layersFileThenEnvironmentThenFlags() throws {
        let path = try Self.file(
            """
            listen: 127.0.0.1:9000
            data_dir: /var/lib/from-file
            max_file_size_mb: 20
            dispatcher:
              max_attempts: 5
              retry_uncertain: true
            test_transport:
              step_delay_ms: 250
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["FAX_DATA_DIR": "/var/lib/from-env", "MAX_FILE_SIZE_MB": "30", "API_KEY": "k"]
        let (config, issues) = ConfigLoader(environment: environment, flags: ["data-dir": "/from-flag"], configPath: path).load()
        #expect(issues.isEmpty)
        #expect(config.listenPort == 9000)
        #expect(config.dataDir == "/from-flag")
        #expect(config.maxFileSizeMB == 30)
        #expect(config.retryPolicy.maxAttempts == 5)
        #expect(config.retryUncertain)
        #expect(config.testTransport.stepDelay == 0.25)
        #expect(config.apiKey == "k")
    }

    @Test func emptyValuesCountAsUnset() {
        let (config, issues) = ConfigLoader(environment: ["API_KEY": "", "FAX_DATA_DIR": "", "FAXBOT_LOG_LEVEL": "", "LOG_LEVEL": "debug"]).load()
        #expect(issues.isEmpty)
        #expect(config.apiKey == nil)
        #expect(config.dataDir == "./faxdata")
        #expect(config.logLevel == .debug)
    }

    @Test func everyMistakeIsExplained() throws {
        let path = try Self.file(
            """
            listen: nowhere
            colour: blue
            dispatcher:
              max_attempts: 0
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = [
            "FAX_BACKEND": "phaxio", "DATABASE_URL": "postgres://db/faxbot", "MAX_FILE_SIZE_MB": "ten", "REQUIRE_API_KEY": "maybe",
            "FAXBOT_SESSION_PEPPER": "short",
        ]
        let (_, issues) = ConfigLoader(environment: environment, configPath: path).load()
        let keys = Set(issues.map(\.key))
        #expect(
            keys == [
                "listen", "colour", "dispatcher.max_attempts", "backend", "database_url", "max_file_size_mb", "require_api_key",
                "session_pepper",
            ])
        let backend = try #require(issues.first { $0.key == "backend" })
        #expect(backend.source == "environment (FAX_BACKEND)")
        #expect(backend.message.contains("not available in this build"))
        #expect(issues.first { $0.key == "colour" }?.message.contains("unknown setting") == true)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: environment, configPath: path).loadOrThrow() }
    }

    @Test func anExplicitConfigFileMustExistAndParse() throws {
        let (_, missing) = ConfigLoader(environment: [:], configPath: "/nonexistent/faxbot.yaml").load()
        #expect(missing.map(\.key) == ["config"])
        let path = try Self.file("listen: [unclosed")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, broken) = ConfigLoader(environment: [:], configPath: path).load()
        #expect(broken.first?.message.contains("YAML") == true)
        let list = try Self.file("- a\n- b\n")
        defer { try? FileManager.default.removeItem(atPath: list) }
        let (_, notMapping) = ConfigLoader(environment: [:], configPath: list).load()
        #expect(notMapping.first?.message.contains("mapping") == true)
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("[::1]:9000", "::1", 9000), ("0.0.0.0:80", "0.0.0.0", 80),
    ])
    func listenAddresses(_ text: String, _ host: String, _ port: Int) {
        let parsed = ValueParser.hostPort(text)
        #expect(parsed?.0 == host)
        #expect(parsed?.1 == port)
    }

    @Test(arguments: ["8080", ":8080", "host:", "host:99999", "[::1]8080"])
    func badListenAddresses(_ text: String) {
        #expect(ValueParser.hostPort(text) == nil)
    }

    @Test(arguments: [
        ("sqlite:///./faxbot.db", "./faxbot.db"), ("sqlite:////var/lib/faxbot/faxbot.db", "/var/lib/faxbot/faxbot.db"),
        ("sqlite:///faxbot.db", "faxbot.db"), ("sqlite:data/f.db", "data/f.db"),
    ])
    func sqliteURLsFollowV3(_ url: String, _ path: String) {
        #expect(ValueParser.sqlitePath(url) == path)
    }

    @Test func refusesToListenBeyondLoopbackWithoutAKey() async throws {
        var config = FaxbotConfig()
        config.dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-exposed-\(UUID().uuidString)").path
        config.listenHost = "0.0.0.0"
        config.sessionPepper = "pepper-for-tests-0123456789"
        defer { try? FileManager.default.removeItem(atPath: config.dataDir) }
        await #expect(throws: StartupError.self) {
            _ = try await buildApplication(config: config, clock: ManualClock(), logger: Logger(label: "test"))
        }
        config.apiKey = "bootstrap"
        _ = try await buildApplication(config: config, clock: ManualClock(), logger: Logger(label: "test"))
    }
}
