import ESLSimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import Foundation
import HummingbirdTesting
import Logging
import Testing

/// A daemon built by the real composition root with `backend: freeswitch`, talking ESL over TCP
/// to the in-repo simulator (the real FreeSWITCH 1.10 streams, split at random TCP boundaries).
struct FreeSWITCHHarness {
    let simulator: ESLSimulator
    let port: Int
    let dataDir: String
    let serverPassword: String
    let clock = ManualClock()

    static let password = "esl-test-password"

    static func make(password: String = password) async throws -> FreeSWITCHHarness {
        let simulator = ESLSimulator(password: password)
        let port = try await simulator.start()
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("faxbot-esl-\(UUID().uuidString)").path
        return FreeSWITCHHarness(simulator: simulator, port: port, dataDir: dataDir, serverPassword: password)
    }

    func config(password: String = password, _ adjust: (inout FaxbotConfig) -> Void = { _ in }) throws -> FaxbotConfig {
        var config = FaxbotConfig()
        config.dataDir = dataDir
        config.apiKey = AsteriskHarness.key
        config.sessionPepper = "pepper-for-tests-0123456789"
        config.listenPort = 0
        config.drainTimeout = 0
        config.backend = "freeswitch"
        config.freeswitch.port = port
        config.freeswitch.password = password
        config.freeswitch.stationID = "+15550001111"
        config.freeswitch.header = "Clinic"
        config.freeswitch.routes = [.init(dialTemplate: "sofia/gateway/faxbot/{number}", maxChannels: 2)]
        config.statusMapFile = AsteriskHarness.repository + "/config/provider_status_map.json"
        config.documents.converterExecutable = try DispatcherPipelineTests.converter
        adjust(&config)
        return config
    }

    /// Runs one daemon life: built, serving (ESL session up unless the password is wrong), then stopped.
    func run<Value: Sendable>(
        _ config: FaxbotConfig, _ body: @Sendable (Faxbot, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let faxbot = try await buildApplication(config: config, clock: clock, jitter: { 0.5 }, logger: logger)
        return try await faxbot.application.test(.router) { client in
            try await AsteriskHarness.eventually("the ESL session is up") {
                faxbot.sessions.eslConnected || config.freeswitch.password != serverPassword
            }
            return try await body(faxbot, client)
        }
    }

    func cleanUp() async {
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    static func uuid(_ job: String, attempt: Int = 1) -> String {
        FreeSWITCHCallNames(jobID: job, attempt: attempt).originationUUID
    }
}
