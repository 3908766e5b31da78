import ESLSimulator
import FaxTransports
import FaxbotCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import FaxbotServer

/// The FreeSWITCH transport end to end: `POST /fax` → conversion → the exact `bgapi originate` on
/// the ESL wire → the replayed real FreeSWITCH 1.10 streams → the job's final status.
@Suite(.serialized, .timeLimit(.minutes(3))) struct FreeSWITCHDaemonTests {
    @Test func aFaxIsOriginatedExactlyAndDeliveredWithItsPages() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        let shared = (harness.dataDir as NSString).appendingPathComponent("outbound")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        let config = try harness.config { $0.freeswitch.outboundDirectory = shared }
        try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("delivered") { try await client.status(id) == "delivered" }
            let job = try await client.job(id)
            #expect(job["pages"] as? Int == 2)
            #expect(job["pages_sent"] as? Int == 2)
            let names = FreeSWITCHCallNames(jobID: id, attempt: 1)
            #expect(job["provider_sid"] as? String == names.originationUUID)
            #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
            let file = (shared as NSString).appendingPathComponent("\(names.originationUUID).tif")
            let originates = harness.simulator.received.filter { $0.hasPrefix("bgapi originate") }
            #expect(
                originates == [
                    "bgapi originate {origination_uuid=\(names.originationUUID),faxbot_job=\(id),faxbot_attempt=1,fax_ident=+15550001111,"
                        + "fax_header=Clinic,fax_enable_t38=true,fax_enable_t38_request=true,fax_use_ecm=true,ignore_early_media=true,"
                        + "originate_timeout=60,origination_caller_id_number=+15550001111}sofia/gateway/faxbot/15558675309 &txfax(\(file))\n"
                        + "Job-UUID: \(names.jobUUID)\n\n"
                ])
            let events = try await client.getJSON("/fax/\(id)/events", key: AsteriskHarness.key).1["items"] as? [[String: Any]] ?? []
            #expect(
                events.compactMap { $0["event"] as? String } == ["accepted", "claim", "prepared", "submitted", "progress", "progress", "completed"])
        }
    }

    @Test(arguments: [
        (ESLScenario.receiverHangupMidFax, "line_error", 1),
        (.receiverHangupBeforePage1, "line_error", 0),
        (.busy, "busy", 0),
        (.busyRespond486, "no_answer", 0),
        (.noAnswer, "no_answer", 0),
        (.rejected, "provider_rejected", 0),
        (.unallocated, "invalid_number", 0),
    ])
    func everyNegativeStreamEndsWithTheRightCause(scenario: ESLScenario, cause: String, pages: Int) async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = scenario
        try await harness.run(try harness.config { $0.retryPolicy.maxAttempts = 1 }) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            try await AsteriskHarness.eventually("failed") { try await client.status(id) == "failed" }
            let job = try await client.job(id)
            #expect(job["failure_cause"] as? String == cause)
            #expect(job["pages_sent"] as? Int == pages)
            #expect(harness.simulator.originateCount == 1)
        }
    }

    @Test func busyIsRetriedAfterTheBackoffAndThenDelivered() async throws {
        let harness = try await FreeSWITCHHarness.make()
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
            harness.clock.advance(by: 179)
            #expect(harness.simulator.originateCount == 1)
            harness.clock.advance(by: 2)
            try await AsteriskHarness.eventually("delivered on the second attempt") { try await client.status(id) == "delivered" }
            #expect(harness.simulator.originateCount == 2)
            #expect(try await client.job(id)["provider_sid"] as? String == FreeSWITCHHarness.uuid(id, attempt: 2))
        }
    }

    @Test func aRejectedPasswordShowsInReadinessAndNothingIsDialled() async throws {
        let harness = try await FreeSWITCHHarness.make(password: "the-right-password")
        defer { Task { await harness.cleanUp() } }
        try await harness.run(try harness.config(password: "a-wrong-password")) { faxbot, client in
            try await AsteriskHarness.eventually("readiness reports the rejected password") {
                let (status, body) = try await client.getJSON("/health/ready", key: nil)
                let reasons = body["reasons"] as? [String] ?? []
                return status == .serviceUnavailable && reasons.contains { $0.contains("FreeSWITCH ESL authentication rejected") }
            }
            let id = try await client.sendTwoPages(to: "+15558675309")
            // Asked directly, the dispatcher has nothing to claim: the gate, not timing, keeps it queued.
            #expect(await faxbot.dispatcher.claimable().isEmpty)
            let job = try await client.job(id)
            #expect(job["status"] as? String == "queued")
            #expect(job["attempts"] as? Int == 0)
            #expect(harness.simulator.originateCount == 0)
        }
    }

    @Test func aCancelKillsTheCall() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        try await harness.run(try harness.config()) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            let uuid = FreeSWITCHHarness.uuid(id)
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelUUIDs.contains(uuid) }
            _ = try await client.postJSON("/fax/\(id)/cancel", key: AsteriskHarness.key)
            try await AsteriskHarness.eventually("canceled") { try await client.status(id) == "canceled" }
            #expect(harness.simulator.received.contains("api uuid_kill \(uuid)\n\n"))
            #expect(!harness.simulator.liveChannelUUIDs.contains(uuid))
        }
    }

    @Test func aSilentCallIsKilledByTheCallTimerAndNeverResent() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        harness.simulator.defaultScenario = .hold
        let config = try harness.config { $0.callTimeout = 86_400 }
        try await harness.run(config) { _, client in
            let id = try await client.sendTwoPages(to: "+15558675309")
            let uuid = FreeSWITCHHarness.uuid(id)
            try await AsteriskHarness.eventually("call up") { harness.simulator.liveChannelUUIDs.contains(uuid) }
            for _ in 0..<5 where try await client.status(id) != "failed" {
                harness.clock.advance(by: config.freeswitch.overallCallTimer + 1)
                try? await AsteriskHarness.eventually("failed", seconds: 3, quietly: true) { try await client.status(id) == "failed" }
            }
            #expect(try await client.job(id)["failure_cause"] as? String == "timeout")
            #expect(harness.simulator.received.contains("api uuid_kill \(uuid)\n\n"))
            #expect(harness.simulator.originateCount == 1)
        }
    }
}
