import AMISimulator
import FaxTransports
import FaxbotCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// The Asterisk transport end to end: `POST /fax` → conversion → the exact Originate on the AMI
/// wire → the replayed real Asterisk 22 streams → the job's final status.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AsteriskDaemonTests {
    @Test func aFaxIsOriginatedExactlyAndDeliveredWithItsPages() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        let shared = (harness.dataDir as NSString).appendingPathComponent("outbound")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let config = try harness.config { $0.asterisk.outboundDirectory = shared }
        try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            // SendFAX read a 0640 copy named by attempt; it goes when the attempt ends.
            #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
            let job = try await client.job(id)
            #expect(job["pages"] as? Int == 2)
            #expect(job["pages_sent"] as? Int == 2)
            #expect(job["provider_sid"] as? String == "fbtx-\(id)-1")
            let originates = harness.simulator.receivedText.filter { $0.hasPrefix("Action: Originate\r\n") }
            let handedOff = (shared as NSString).appendingPathComponent("fbtx-\(id)-1.tif")
            #expect(
                originates == [
                    """
                    Action: Originate\r
                    ActionID: fbo-\(id)-1\r
                    Channel: PJSIP/15558675309@trunk\r
                    Context: faxbot-tx\r
                    Exten: s\r
                    Priority: 1\r
                    Timeout: 60000\r
                    CallerID: "Faxbot" <+15550001111>\r
                    Async: true\r
                    ChannelId: fbtx-\(id)-1\r
                    Variable: FAXBOT_JOB=\(id)\r
                    Variable: FAXBOT_ATTEMPT=1\r
                    Variable: FAXBOT_FILE=\(handedOff)\r
                    Variable: FAXBOT_HEADER=Clinic\r
                    Variable: FAXBOT_STATION_ID=+15550001111\r
                    Variable: FAXBOT_ECM=yes\r
                    Variable: FAXBOT_TIMEOUT=900\r
                    \r

                    """
                ])
            let events = try await client.getJSON("/fax/\(id)/events", key: AsteriskHarness.key).1["items"] as? [[String: Any]] ?? []
            #expect(events.compactMap { $0["event"] as? String } == ["accepted", "claim", "prepared", "submitted", "completed"])
            // The AstDB copy of the result is removed once the event has been applied.
            try await AsteriskHarness.eventually("AstDB entry removed") {
                harness.simulator.databaseValue(family: "faxbot", key: "fbtx-\(id)-1") == nil
            }
        }
    }

    @Test(arguments: [
        (AMIScenario.receiverHangup, "line_error"),
        (.silentReceiver, "no_fax_tone"),
        (.missingFile, "internal_error"),
        (.busy, "busy"),
        (.noAnswer, "no_answer"),
        (.congestion, "transport_unavailable"),
        (.failed, "transport_unavailable"),
    ])
    func everyNegativeStreamEndsWithTheRightCause(scenario: AMIScenario, cause: String) async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = scenario
        try await harness.run(try harness.config { $0.retryPolicy.maxAttempts = 1 }) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("failed") { try await client.status(id) == "failed" }
            let job = try await client.job(id)
            #expect(job["failure_cause"] as? String == cause)
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func busyIsRetriedAfterTheBackoffAndThenDelivered() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.scenarios = ["15558675309": .busy]
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("back in the queue after busy") {
                let job = try await client.job(id)
                return job["status"] as? String == "queued" && job["attempts"] as? Int == 1
            }
            #expect(try await client.job(id)["failure_cause"] as? String == "busy")
            harness.simulator.scenarios = [:]
            // Not due before the busy delay (180 s) has passed.
            harness.clock.advance(by: 179)
            #expect(harness.simulator.originateCount == 1)
            harness.clock.advance(by: 2)
            try await AsteriskHarness.eventually("delivered on the second attempt") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 2)
            #expect(try await client.job(id)["provider_sid"] as? String == "fbtx-\(id)-2")
        }
    }

    @Test func aRejectedLoginShowsInReadinessWithTheReason() async throws {
        let harness = try await AsteriskHarness.make(secret: "the-right-secret")
        defer { Task { await harness.cleanUp() } }
        try await harness.run(try harness.config(secret: "a-wrong-secret")) { faxbot, client in
            try await AsteriskHarness.eventually("readiness reports the rejected login") {
                let (status, body) = try await client.getJSON("/health/ready", key: nil)
                let reasons = body["reasons"] as? [String] ?? []
                return status == .serviceUnavailable && reasons.contains { $0.contains("Authentication failed") }
            }
            // A fax submitted meanwhile waits queued, unspent: no attempt is used while no call can be placed.
            let id = try await client.sendTwoPages(to: "+15558675309")
            // Asked directly, the dispatcher has nothing to claim: the gate, not timing, keeps it queued.
            #expect(await faxbot.dispatcher.claimable().isEmpty)
            let job = try await client.job(id)
            #expect(job["status"] as? String == "queued")
            #expect(job["attempts"] as? Int == 0)
            #expect(harness.simulator.originateCount == 0)
        }
    }

    @Test func aCancelHangsUpTheChannel() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            let (status, _) = try await client.postJSON("/fax/\(id)/cancel", key: AsteriskHarness.key)
            #expect(status == .accepted || status == .ok)
            try await AsteriskHarness.eventually("canceled") { try await client.status(id) == "canceled" }
            #expect(harness.simulator.receivedText.contains { $0.hasPrefix("Action: Hangup\r\n") })
            #expect(!harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1"))
        }
    }

    @Test func aSilentPeerIsHungUpByTheCallTimerAndNeverResent() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        // The dispatcher's own timeout is out of reach: only the transport's call timer can fire.
        let config = try harness.config { $0.callTimeout = 86_400 }
        try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            // The timer starts on its own task: move time on until it has fired (a few rounds at
            // most; five rounds stay far below the dispatcher's timeout).
            for _ in 0..<5 where try await client.status(id) != "failed" {
                harness.clock.advance(by: config.asterisk.overallCallTimer + 1)
                try? await AsteriskHarness.eventually("failed", seconds: 3, quietly: true) { try await client.status(id) == "failed" }
            }
            #expect(try await client.status(id) == "failed")
            #expect(try await client.job(id)["failure_cause"] as? String == "timeout")
            #expect(harness.simulator.receivedText.contains { $0.hasPrefix("Action: Hangup\r\n") })
            #expect(harness.simulator.originateCount == 1)
        }
    }
}
