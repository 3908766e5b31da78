import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

#if canImport(Glibc)
import Glibc
#endif

@Suite struct InboundIngestorTests {
    @Test func aTwoPageFaxBecomesATwoPagePDFStoredPrivatelyAndTheTIFFGoes() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        let tiff = try scratch.tiff("1700000000.1.tif")

        let fax = try await scratch.ingestor.ingest(scratch.call("1700000000.1"))

        #expect(fax.status == .received)
        #expect(fax.pages == 2)
        #expect(fax.transport == "sip")
        #expect(fax.callID == "1700000000.1")
        #expect(fax.to == "+15551230000")
        #expect(fax.from == "+15550009876")
        #expect(fax.mailbox == "default")
        #expect(fax.error == nil)
        #expect(fax.receivedAt == scratch.clock.now())
        #expect(fax.retentionUntil == scratch.clock.now().addingTimeInterval(30 * 86_400))
        let pdf = try #require(scratch.ingestor.pdfPath(of: fax))
        #expect(pdf == (scratch.pdfDirectory as NSString).appendingPathComponent("\(fax.id).pdf"))
        #expect(try InboundSamples.pdfPageCount(pdf) == 2)
        #expect(try InboundSamples.mode(pdf) == 0o600)
        #expect(fax.sha256 == (try InboundSamples.sha256(pdf)))
        #expect(fax.sizeBytes == (try FileManager.default.attributesOfItem(atPath: pdf)[.size] as? Int))
        #expect(!FileManager.default.fileExists(atPath: tiff))
        #expect(scratch.pdfFiles() == ["\(fax.id).pdf"])
        #expect(try await scratch.store.fax(id: fax.id) == fax)
        let metrics = String(decoding: scratch.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains(#"faxbot_inbound_faxes_total{transport="sip",status="received"} 1"#))
    }

    @Test func theSameCallReportedFiveTimesAtOnceAndAgainIsOneRecordAndOnePDF() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("1700000000.2.tif")
        let call = scratch.call("1700000000.2")
        let ingestor = scratch.ingestor

        let together = try await withThrowingTaskGroup(of: InboundFax.self) { group in
            for _ in 0..<5 { group.addTask { try await ingestor.ingest(call) } }
            return try await group.reduce(into: [InboundFax]()) { $0.append($1) }
        }
        var later: [InboundFax] = []
        for _ in 0..<5 { later.append(try await ingestor.ingest(call)) }

        #expect(Set((together + later).map(\.id)).count == 1)
        #expect(try await scratch.store.list(InboundQuery()).count == 1)
        #expect(scratch.pdfFiles() == ["\(together[0].id).pdf"])
        let metrics = String(decoding: scratch.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains(#"faxbot_inbound_faxes_total{transport="sip",status="received"} 1"#))
    }

    @Test func twoIngestorsRacingOnOneCallLeaveOneRecordAndOnePDF() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("1700000000.3.tif")
        let other = InboundIngestor(
            store: scratch.store, spoolDir: scratch.spool, directory: scratch.pdfDirectory, settings: InboundSettings(), clock: scratch.clock,
            logger: InboundSamples.quietLogger)
        let call = scratch.call("1700000000.3")
        let first = scratch.ingestor

        async let a = first.ingest(call)
        async let b = other.ingest(call)
        let (one, two) = try await (a, b)

        #expect(one.id == two.id)
        #expect(try await scratch.store.list(InboundQuery()).count == 1)
        #expect(scratch.pdfFiles() == ["\(one.id).pdf"])
        #expect(scratch.spoolFiles().isEmpty)
    }

    @Test func aFailedCallThatKeptSomePagesIsPartialAndKeepsThem() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("c-partial.tif", pages: 1)
        var call = scratch.call("c-partial", succeeded: false, pages: 1)
        call.error = "Disconnected after permitted retries"

        let fax = try await scratch.ingestor.ingest(call)

        #expect(fax.status == .partial)
        #expect(fax.pages == 1)
        #expect(fax.error == "Disconnected after permitted retries")
        #expect(try InboundSamples.pdfPageCount(try #require(scratch.ingestor.pdfPath(of: fax))) == 1)
    }

    @Test(arguments: [false, true])
    func aFailedCallThatLeftNothingUsableIsAFailedRecordWithoutPDF(garbage: Bool) async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        if garbage { try Data("II*\0 not really a tiff".utf8).write(to: URL(fileURLWithPath: scratch.spoolPath("c-failed.tif"))) }

        let fax = try await scratch.ingestor.ingest(scratch.call("c-failed", succeeded: false, pages: 0))

        #expect(fax.status == .failed)
        #expect(fax.pages == 0)
        #expect(fax.pdfPath == nil)
        #expect(fax.sha256 == nil)
        #expect(fax.error == "no usable pages arrived")
        #expect(scratch.pdfFiles().isEmpty)
        #expect(scratch.spoolFiles().isEmpty)
        #expect(try await scratch.store.fax(id: fax.id)?.status == .failed)
        let metrics = String(decoding: scratch.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains(#"faxbot_inbound_faxes_total{transport="sip",status="failed"} 1"#))
    }

    /// Every way a success report can name an unusable file: a clear error, no record, no PDF.
    @Test(arguments: ["outside", "symlink-out", "dotdot", "relative", "garbage", "missing", "fifo", "directory", "empty"])
    func aBadTIFFIsRefusedWithoutARecordOrAPDF(_ case_: String) async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        let outside = try scratch.tiff("outside.tif", in: scratch.root)
        var call = scratch.call("c-\(case_)")
        let expected: InboundError.Kind
        switch case_ {
        case "outside":
            call.tiffPath = outside
            expected = .outsideSpool
        case "symlink-out":
            try FileManager.default.createSymbolicLink(atPath: scratch.spoolPath("link.tif"), withDestinationPath: outside)
            call.tiffPath = scratch.spoolPath("link.tif")
            expected = .outsideSpool
        case "dotdot":
            call.tiffPath = scratch.spool + "/../outside.tif"
            expected = .outsideSpool
        case "relative":
            call.tiffPath = "incoming/c-relative.tif"
            expected = .invalidReport
        case "garbage":
            try Data("II*\0 definitely not a fax".utf8).write(to: URL(fileURLWithPath: call.tiffPath))
            expected = .rejected
        case "missing":
            expected = .unreadable
        case "fifo":
            #expect(mkfifo(call.tiffPath, 0o600) == 0)
            expected = .unreadable
        case "directory":
            try FileManager.default.createDirectory(atPath: call.tiffPath, withIntermediateDirectories: false)
            expected = .unreadable
        default:
            _ = FileManager.default.createFile(atPath: call.tiffPath, contents: Data())
            expected = .rejected
        }

        let error = await #expect(throws: InboundError.self) { try await scratch.ingestor.ingest(call) }

        #expect(error?.kind == expected)
        #expect(error.map { !$0.message.contains(scratch.root) } ?? false)
        #expect(try await scratch.store.list(InboundQuery()).isEmpty)
        #expect(scratch.pdfFiles().isEmpty)
        #expect(FileManager.default.fileExists(atPath: outside))
    }

    @Test(arguments: ["../etc/passwd", "", "a b", String(repeating: "x", count: 129), "id\n"])
    func aMalformedCallIDIsRefused(_ callID: String) async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("ok.tif")
        var call = scratch.call("ok")
        call.callID = callID

        let error = await #expect(throws: InboundError.self) { try await scratch.ingestor.ingest(call) }

        #expect(error?.kind == .invalidReport)
        #expect(scratch.spoolFiles() == ["ok.tif"])
    }

    @Test func theDestinationPicksTheMailboxAndRetentionZeroKeepsThePDF() async throws {
        var settings = InboundSettings()
        settings.mailboxes = ["15551230000": "front-desk"]
        settings.retentionDays = 0
        let scratch = try InboundScratch(settings: settings)
        defer { scratch.remove() }
        try scratch.tiff("a.tif")
        try scratch.tiff("b.tif")

        let mapped = try await scratch.ingestor.ingest(scratch.call("a", to: "15551230000"))
        let other = try await scratch.ingestor.ingest(scratch.call("b", to: "+15559990000"))

        #expect(mapped.mailbox == "front-desk")
        #expect(other.mailbox == "default")
        #expect(mapped.retentionUntil == nil)
    }

    @Test func numbersThatAreNotNumbersAreNotStored() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("n.tif")
        var call = scratch.call("n")
        call.from = "Anonymous"
        call.to = "555-1234"
        call.remoteStationID = "  FAX\u{7}\u{0} 1234  "

        let fax = try await scratch.ingestor.ingest(call)

        #expect(fax.from == nil)
        #expect(fax.to == nil)
        #expect(fax.remoteStationID == "FAX 1234")
    }

    @Test func filesNoRecordNamesAreRemovedAtStart() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("kept.tif")
        let kept = try await scratch.ingestor.ingest(scratch.call("kept"))
        let orphan = JobID.make() + ".pdf"
        for name in [orphan, ".\(JobID.make()).tif", "\(kept.id).pdf.123.part"] {
            _ = FileManager.default.createFile(atPath: (scratch.pdfDirectory as NSString).appendingPathComponent(name), contents: Data("x".utf8))
        }

        await scratch.ingestor.removeOrphanPDFs()

        #expect(scratch.pdfFiles() == ["\(kept.id).pdf"])
    }
}
