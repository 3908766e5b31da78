import AMISimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// A daemon built by the real composition root with `backend: sip`, talking AMI over TCP to the
/// in-repo simulator (the real Asterisk 22 streams). Time for retries and timers moves only by
/// `clock.advance`; the AMI session itself runs on real sockets.
struct AsteriskHarness {
    let simulator: AMISimulator
    let port: Int
    let dataDir: String
    /// The secret the simulated Asterisk accepts.
    let serverSecret: String
    let clock = ManualClock()

    static let secret = "faxbot-secret"
    static let key = "asterisk-test-key"

    static func make(secret: String = secret) async throws -> AsteriskHarness {
        let simulator = AMISimulator(username: "faxbot", secret: secret)
        let port = try await simulator.start()
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-ami-\(UUID().uuidString)").path
        return AsteriskHarness(simulator: simulator, port: port, dataDir: dataDir, serverSecret: secret)
    }

    func config(secret: String = secret, _ adjust: (inout FaxbotConfig) -> Void = { _ in }) throws -> FaxbotConfig {
        var config = FaxbotConfig()
        config.dataDir = dataDir
        config.apiKey = Self.key
        config.sessionPepper = "pepper-for-tests-0123456789"
        config.listenPort = 0
        config.drainTimeout = 0
        config.backend = "sip"
        config.asterisk.port = port
        config.asterisk.secret = secret
        config.asterisk.stationID = "+15550001111"
        config.asterisk.header = "Clinic"
        config.asterisk.routes = [.init(dialTemplate: "PJSIP/{number}@trunk", maxChannels: 2)]
        config.statusMapFile = Self.repository + "/config/provider_status_map.json"
        config.documents.converterExecutable = try DispatcherPipelineTests.converter
        adjust(&config)
        return config
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs one daemon life: built, serving, then stopped at the end of `body`.
    func run<Value: Sendable>(
        _ config: FaxbotConfig, _ body: @Sendable (Faxbot, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let faxbot = try await buildApplication(config: config, clock: clock, jitter: { 0.5 }, logger: logger)
        return try await faxbot.application.test(.router) { client in
            try await Self.eventually("the AMI session is up") { faxbot.sessions.amiConnected || config.asterisk.secret != serverSecret }
            return try await body(faxbot, client)
        }
    }

    func cleanUp() async {
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Waits (bounded, on real time: the AMI session and the conversion worker are real) until `condition` holds.
    static func eventually(_ what: String, seconds: Double = 90, quietly: Bool = false, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        if !quietly { Issue.record("timed out waiting until \(what)") }
        throw HarnessError.timedOut(what)
    }

    enum HarnessError: Error {
        case timedOut(String)
    }

    static let twoPages: [UInt8] = Array((String(repeating: "Referral letter line.\n", count: 60) + "Page two.\n").utf8)
}

extension TestClientProtocol {
    /// Submits the two-page letter to `to`; the job's id.
    func sendTwoPages(to: String) async throws -> String {
        let form = Form.fax(to: to, file: AsteriskHarness.twoPages, filename: "letter.txt")
        let (status, body, _) = try await submit(form, key: AsteriskHarness.key)
        #expect(status == .accepted)
        return try #require(body["id"] as? String)
    }

    func job(_ id: String) async throws -> [String: Any] {
        try await getJSON("/fax/\(id)", key: AsteriskHarness.key).1
    }

    func status(_ id: String) async throws -> String? { try await job(id)["status"] as? String }
}
