import ESLSimulator
import FaxTransports
import FaxbotCore
import FaxbotServer
import FaxbotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Received faxes reported by mod_spandsp's `spandsp::rxfaxresult` for calls the shipped dialplan
/// answered: one record and one PDF however often the same call is reported.
@Suite(.serialized, .timeLimit(.minutes(2))) struct FreeSWITCHInboundTests {
    static func rxfaxresult(uuid: String, file: String, pages: Int) -> KeyValuePairs<String, String> {
        [
            "Event-Name": "CUSTOM", "Event-Subclass": "spandsp::rxfaxresult", "Unique-ID": uuid, "Caller-Caller-ID-Number": "+15551230000",
            "Caller-Destination-Number": "15559870000", "fax-success": "1", "fax-result-code": "0", "fax-result-text": "OK",
            "fax-document-transferred-pages": "\(pages)", "fax-remote-station-id": "CLINIC", "variable_faxbot_inbound": "true",
            "variable_fax_filename": file,
        ]
    }

    @Test func anRxfaxresultBecomesOnePDFHoweverOftenItIsReported() async throws {
        let harness = try await FreeSWITCHHarness.make()
        defer { Task { await harness.cleanUp() } }
        let config = try harness.config { $0.inbound.mailboxes = ["15559870000": "cardiology"] }
        let spool = config.inboundSpoolDir
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let uuid = "3f1c2b9a-1111-4c2d-9e8f-000000000001"
        let tiff = (spool as NSString).appendingPathComponent("\(uuid).tif")
        try InboundSamples.writeFax(pages: 2, to: tiff)
        try FileManager.default.setAttributes([.modificationDate: harness.clock.now()], ofItemAtPath: tiff)
        try await harness.run(config) { faxbot, client in
            for _ in 0..<5 { harness.simulator.emit(headers: Self.rxfaxresult(uuid: uuid, file: tiff, pages: 2)) }
            // Not ours: an rxfax the shipped dialplan did not run (no faxbot_inbound) is left alone.
            harness.simulator.emit(headers: [
                "Event-Name": "CUSTOM", "Event-Subclass": "spandsp::rxfaxresult", "Unique-ID": "other", "fax-success": "1",
                "variable_fax_filename": tiff,
            ])
            let marker = "3f1c2b9a-1111-4c2d-9e8f-000000000002"
            let markerTIFF = (spool as NSString).appendingPathComponent("\(marker).tif")
            try InboundSamples.writeFax(pages: 1, to: markerTIFF)
            harness.simulator.emit(headers: Self.rxfaxresult(uuid: marker, file: markerTIFF, pages: 1))
            try await AsteriskHarness.eventually("both calls recorded") { try await faxbot.inboundStore.list(InboundQuery()).count == 2 }
            let items = try await faxbot.inboundStore.list(InboundQuery())
            let record = try #require(items.first { $0.pages == 2 })
            #expect(record.transport == "freeswitch")
            #expect(record.mailbox == "cardiology")
            let pdf = try await client.execute(
                uri: "/inbound/\(record.id)/pdf", method: .get, headers: [HTTPField.Name("X-API-Key")!: AsteriskHarness.key]
            ) { response in (response.status, [UInt8](response.body.readableBytesView)) }
            #expect(pdf.0 == .ok)
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("inbound-\(UUID().uuidString).pdf").path
            try Data(pdf.1).write(to: URL(fileURLWithPath: copy))
            defer { try? FileManager.default.removeItem(atPath: copy) }
            #expect(try InboundSamples.pdfPageCount(copy) == 2)
            #expect(!FileManager.default.fileExists(atPath: tiff))
        }
    }
}
