import AMISimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import FaxbotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Received faxes reported by the shipped dialplan over AMI (`UserEvent(FaxbotInbound)`) and by
/// its CLI fallback (the v3 internal hook): one record, one PDF, however often it is reported.
@Suite(.serialized, .timeLimit(.minutes(2))) struct AsteriskInboundTests {
    static let hookSecret = "inbound-hook-secret-0123456789"

    static func inboundEvent(callID: String, file: String) -> String {
        """
        Event: UserEvent\r
        Privilege: user,all\r
        Channel: PJSIP/faxbot-trunk-00000007\r
        ChannelState: 6\r
        ChannelStateDesc: Up\r
        CallerIDNum: +15551230000\r
        CallerIDName: CLINIC\r
        Context: faxbot-rx-report\r
        Exten: s\r
        Priority: 4\r
        Uniqueid: \(callID)\r
        Linkedid: \(callID)\r
        UserEvent: FaxbotInbound\r
        File: \(file)\r
        CallID: \(callID)\r
        From: +15551230000\r
        To: 15559870000\r
        FaxStatus: SUCCESS\r
        FaxError: \r
        FaxPages: 2\r
        RemoteStationID: CLINIC\r
        \r

        """
    }

    @Test func aFaxbotInboundEventBecomesOnePDFHoweverOftenItIsReported() async throws {
        let harness = try await AsteriskHarness.make()
        defer { Task { await harness.cleanUp() } }
        let config = try harness.config {
            $0.inbound.secret = Self.hookSecret
            $0.inbound.mailboxes = ["15559870000": "cardiology"]
        }
        let spool = config.inboundSpoolDir
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let callID = "1764480000.12"
        let tiff = (spool as NSString).appendingPathComponent("\(callID).tif")
        try InboundSamples.writeFax(pages: 2, to: tiff)
        try FileManager.default.setAttributes([.modificationDate: harness.clock.now()], ofItemAtPath: tiff)
        try await harness.run(config) { faxbot, client in
            let event = Self.inboundEvent(callID: callID, file: tiff)
            for _ in 0..<3 { harness.simulator.emit(raw: event) }
            try await AsteriskHarness.eventually("recorded") { try await faxbot.inboundStore.list(InboundQuery()).count == 1 }
            // The dialplan's fallback reports the same call once more, through the v3 hook.
            let hook = try JSONSerialization.data(withJSONObject: [
                "tiff_path": tiff, "to_number": "15559870000", "from_number": "+15551230000", "faxstatus": "SUCCESS", "faxpages": 2,
                "uniqueid": callID,
            ])
            let hookStatus = try await client.execute(
                uri: "/_internal/asterisk/inbound", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Internal-Secret")!: Self.hookSecret],
                body: ByteBuffer(bytes: hook)
            ) { $0.status }
            #expect(hookStatus == .ok)
            for _ in 0..<2 { harness.simulator.emit(raw: event) }
            // A second call reported after the repeats: once it is recorded, the repeats (earlier
            // on the same ordered session) have been handled.
            let marker = (spool as NSString).appendingPathComponent("1764480001.13.tif")
            try InboundSamples.writeFax(pages: 1, to: marker)
            harness.simulator.emit(raw: Self.inboundEvent(callID: "1764480001.13", file: marker))
            try await AsteriskHarness.eventually("the second call recorded") {
                try await faxbot.inboundStore.list(InboundQuery()).count == 2
            }

            let items = try await client.execute(
                uri: "/inbound", method: .get, headers: [HTTPField.Name("X-API-Key")!: AsteriskHarness.key]
            ) { response in (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [[String: Any]] ?? [] }
            #expect(items.count == 2)
            #expect(items.filter { $0["pages"] as? Int == 2 }.count == 1)
            let record = try #require(items.first { $0["pages"] as? Int == 2 })
            #expect(record["pages"] as? Int == 2)
            #expect(record["mailbox"] as? String == "cardiology")
            #expect(record["status"] as? String == "received")
            let id = try #require(record["id"] as? String)
            let pdf = try await client.execute(
                uri: "/inbound/\(id)/pdf", method: .get, headers: [HTTPField.Name("X-API-Key")!: AsteriskHarness.key]
            ) { response in (response.status, [UInt8](response.body.readableBytesView)) }
            #expect(pdf.0 == .ok)
            #expect(pdf.1.starts(with: Array("%PDF-".utf8)))
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("inbound-\(UUID().uuidString).pdf").path
            try Data(pdf.1).write(to: URL(fileURLWithPath: copy))
            defer { try? FileManager.default.removeItem(atPath: copy) }
            #expect(try InboundSamples.pdfPageCount(copy) == 2)
            // One PDF per call on disk, and the received TIFF is gone once the record was committed.
            let stored = try FileManager.default.contentsOfDirectory(atPath: (config.dataDir as NSString).appendingPathComponent("inbound"))
            #expect(stored.filter { $0.hasSuffix(".pdf") }.count == 2)
            #expect(!FileManager.default.fileExists(atPath: tiff))
        }
    }
}
