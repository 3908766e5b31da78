import AMISimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A lost AMI session, a restarted Asterisk and a restarted daemon: every live attempt is looked
/// up by its ChannelId (then in AstDB) and never originated again blindly. How soon the session
/// returns is set by the retry schedule (at most 2 s, checked in AMIReconnectTests), not timed here.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AsteriskRecoveryTests {
    @Test func aDroppedSessionReconnectsWithinTwoSecondsAndTheCallGoesOn() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            await harness.simulator.dropConnections()
            try await AsteriskHarness.eventually("the session is gone") { harness.simulator.loggedInClientCount == 0 }
            try await AsteriskHarness.eventually("logged in again") { harness.simulator.loggedInClientCount == 1 }
            // Reconciliation asked Asterisk about the call and found it still up.
            try await AsteriskHarness.eventually("reconciled") {
                harness.simulator.receivedText.contains { $0.hasPrefix("Action: CoreShowChannels\r\n") }
            }
            #expect(try await client.status(id) == "in_progress")
            #expect(harness.simulator.release(channelID: "fbtx-\(id)-1"))
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func aResultReportedWhileTheSessionWasDownIsReadBackFromAstDB() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            // The AMI port goes away; the call goes on and ends with nobody listening.
            await harness.simulator.stop(clearingCalls: false)
            #expect(harness.simulator.release(channelID: "fbtx-\(id)-1"))
            try await AsteriskHarness.eventually("call ended") { !harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            #expect(harness.simulator.databaseValue(family: "faxbot", key: "fbtx-\(id)-1")?.hasPrefix("SUCCESS:2") == true)
            _ = try await harness.simulator.start(port: harness.port)
            try await AsteriskHarness.eventually("delivered from the stored result") { try await client.status(id) == "delivered" }
            #expect(try await client.job(id)["pages_sent"] as? Int == 2)
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func anAsteriskRestartMidCallEndsAsOutcomeUnknownNeverAResend() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            await harness.simulator.stop()  // killed: the call is gone with it
            _ = try await harness.simulator.start(port: harness.port)
            try await AsteriskHarness.eventually("logged in again") { harness.simulator.loggedInClientCount == 1 }
            try await AsteriskHarness.eventually("failed") { try await client.status(id) == "failed" }
            let job = try await client.job(id)
            #expect(job["failure_cause"] as? String == "outcome_unknown")
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func aDaemonRestartedMidCallAdoptsTheCallInsteadOfDiallingAgain() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        let config = try harness.config()
        let id = try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1") }
            return id
        }
        #expect(harness.simulator.liveChannelIDs.contains("fbtx-\(id)-1"))
        try await harness.run(config) { _, client in
            #expect(try await client.status(id) == "in_progress")
            try await AsteriskHarness.eventually("looked up") {
                harness.simulator.receivedText.contains { $0.hasPrefix("Action: CoreShowChannels\r\n") }
            }
            #expect(harness.simulator.release(channelID: "fbtx-\(id)-1"))
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 1)
        }
    }
}
