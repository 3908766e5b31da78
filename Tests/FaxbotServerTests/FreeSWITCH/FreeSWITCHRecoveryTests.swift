import ESLSimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A lost ESL session, a restarted FreeSWITCH and a restarted daemon: every live attempt is looked
/// up by its origination uuid and never originated again blindly.
@Suite(.serialized, .timeLimit(.minutes(3))) struct FreeSWITCHRecoveryTests {
    @Test func aDroppedSessionReconnectsAndTheCallGoesOn() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            let uuid = FreeSWITCHHarness.uuid(id)
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelUUIDs.contains(uuid) }
            await harness.simulator.dropConnections()
            try await AsteriskHarness.eventually("the session is gone") { harness.simulator.connectedClientCount == 0 }
            try await AsteriskHarness.eventually("connected again") { harness.simulator.connectedClientCount == 1 }
            try await AsteriskHarness.eventually("reconciled") { harness.simulator.received.contains("api uuid_exists \(uuid)\n\n") }
            #expect(try await client.status(id) == "in_progress")
            #expect(harness.simulator.release(uuid: uuid))
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func aFreeSWITCHRestartMidCallEndsAsOutcomeUnknownNeverAResend() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            let uuid = FreeSWITCHHarness.uuid(id)
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelUUIDs.contains(uuid) }
            await harness.simulator.stop()
            _ = try await harness.simulator.start(port: harness.port)
            try await AsteriskHarness.eventually("failed") { try await client.status(id) == "failed" }
            #expect(try await client.job(id)["failure_cause"] as? String == "outcome_unknown")
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func aDaemonRestartedMidCallAdoptsTheCallInsteadOfDiallingAgain() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        let config = try harness.config()
        let id = try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelUUIDs.contains(FreeSWITCHHarness.uuid(id)) }
            return id
        }
        let uuid = FreeSWITCHHarness.uuid(id)
        #expect(harness.simulator.liveChannelUUIDs.contains(uuid))
        try await harness.run(config) { _, client in
            try await AsteriskHarness.eventually("looked up") { harness.simulator.received.contains("api uuid_exists \(uuid)\n\n") }
            #expect(try await client.status(id) == "in_progress")
            #expect(harness.simulator.release(uuid: uuid))
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 1)
        }
    }
}
