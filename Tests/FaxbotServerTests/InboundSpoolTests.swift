import FaxTransports
import FaxbotCore
import FaxbotStore
import Foundation
import Logging
import Testing

@testable import FaxbotServer

/// Faxes left in the spool (start-time ingest), the service that feeds the ingestor, and retention.
@Suite struct InboundSpoolTests {
    private static func sidecar(_ scratch: InboundScratch, tiff: String, callID: String, succeeded: Bool = true, pages: Int? = 2) throws {
        let sidecar = InboundSidecar(
            transport: "sip", callID: callID, file: tiff, from: "+15550009876", to: "+15551230000", succeeded: succeeded, pages: pages,
            writtenAt: scratch.clock.now())
        _ = try sidecar.write(nextTo: scratch.spoolPath(tiff), mode: 0o640)
    }

    @Test func aTIFFWithASidecarIsIngestedWithTheSidecarsReportAndBothFilesGo() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("rx-file.tif")
        try Self.sidecar(scratch, tiff: "rx-file.tif", callID: "1700000000.9")
        #expect(try InboundSamples.mode(scratch.spoolPath("rx-file.json")) == 0o640)

        let scan = await scratch.ingestor.ingestSpool()

        let fax = try #require(scan.ingested.first)
        #expect(scan.ingested.count == 1)
        #expect(fax.callID == "1700000000.9")
        #expect(fax.status == .received)
        #expect(fax.pages == 2)
        #expect(fax.to == "+15551230000")
        #expect(scratch.spoolFiles().isEmpty)
        // A later report of the same call (the AMI event, once the daemon is up) finds the record.
        let again = try await scratch.ingestor.ingest(
            InboundCall(transport: "sip", callID: "1700000000.9", tiffPath: scratch.spoolPath("rx-file.tif"), succeeded: true))
        #expect(again.id == fax.id)
        #expect(try await scratch.store.list(InboundQuery()).count == 1)
    }

    @Test func aSpoolConfiguredByARelativePathIsScannedToo() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + scratch.spool.dropFirst()
        let ingestor = InboundIngestor(
            store: scratch.store, spoolDir: relative, directory: scratch.pdfDirectory, settings: InboundSettings(), clock: scratch.clock,
            logger: InboundSamples.quietLogger)
        try scratch.tiff("rel.tif")
        try Self.sidecar(scratch, tiff: "rel.tif", callID: "rel")

        let scan = await ingestor.ingestSpool()

        #expect(scan.ingested.map(\.callID) == ["rel"])
        #expect(scratch.spoolFiles().isEmpty)
    }

    @Test func aBareTIFFIsIngestedOnlyOnceItHasRestedAndThenAsPartial() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        let path = try scratch.tiff("1700000000.5.tif")
        try FileManager.default.setAttributes([.modificationDate: scratch.clock.now()], ofItemAtPath: path)

        let early = await scratch.ingestor.ingestSpool()
        #expect(early.ingested.isEmpty)
        #expect(early.waiting == 1)
        #expect(scratch.spoolFiles() == ["1700000000.5.tif"])

        scratch.clock.advance(by: InboundIngestor.bareTIFFMinimumAge)
        let later = await scratch.ingestor.ingestSpool()

        let fax = try #require(later.ingested.first)
        #expect(fax.callID == "1700000000.5")
        #expect(fax.transport == "sip")
        #expect(fax.status == .partial)
        #expect(fax.pages == 2)
        #expect(fax.error?.contains("no PBX report") == true)
        #expect(scratch.spoolFiles().isEmpty)
    }

    @Test func aSidecarWithoutATIFFRecordsTheFailedCall() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try Self.sidecar(scratch, tiff: "1700000000.6.tif", callID: "1700000000.6", succeeded: false, pages: 0)

        let scan = await scratch.ingestor.ingestSpool()

        #expect(scan.ingested.map(\.status) == [.failed])
        #expect(scratch.spoolFiles().isEmpty)
        #expect(await scratch.ingestor.ingestSpool() == InboundIngestor.SpoolScan())
    }

    @Test func anUnreadableSidecarLeavesItsFaxInTheSpool() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("x.tif")
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: scratch.spoolPath("x.json")))

        let scan = await scratch.ingestor.ingestSpool()

        #expect(scan.ingested.isEmpty)
        #expect(scan.failed == 1)
        #expect(scratch.spoolFiles() == ["x.json", "x.tif"])
    }

    @Test func theServiceRecordsEveryReportOfEverySourceAndSurvivesBadOnes() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("s1.tif")
        try scratch.tiff("s2.tif")
        let (first, firstInput) = AsyncStream.makeStream(of: InboundCall.self)
        let (second, secondInput) = AsyncStream.makeStream(of: InboundCall.self)
        var broken = scratch.call("s3")
        broken.tiffPath = "/etc/passwd"
        firstInput.yield(broken)
        firstInput.yield(scratch.call("s1"))
        secondInput.yield(scratch.call("s2"))
        secondInput.yield(scratch.call("s1"))
        firstInput.finish()
        secondInput.finish()
        let service = InboundService(
            ingestor: scratch.ingestor, sources: [FakeInboundSource(inboundCalls: first), FakeInboundSource(inboundCalls: second)],
            clock: scratch.clock, enabled: true, logger: InboundSamples.quietLogger)

        await service.consumeReports()

        #expect(Set(try await scratch.store.list(InboundQuery()).map(\.callID)) == ["s1", "s2"])
    }

    @Test func whileDisabledReportsAreNotIngestedAndTheTIFFStays() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("d1.tif")
        let (stream, input) = AsyncStream.makeStream(of: InboundCall.self)
        input.yield(scratch.call("d1"))
        input.finish()
        let service = InboundService(
            ingestor: scratch.ingestor, sources: [FakeInboundSource(inboundCalls: stream)], clock: scratch.clock, enabled: false,
            logger: InboundSamples.quietLogger)

        await service.consumeReports()

        #expect(try await scratch.store.list(InboundQuery()).isEmpty)
        #expect(scratch.spoolFiles() == ["d1.tif"])
    }

    @Test func retentionDeletesDuePDFsAndKeepsTheRecords() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("r1.tif")
        let old = try await scratch.ingestor.ingest(scratch.call("r1"))
        scratch.clock.advance(by: 86_400)
        try scratch.tiff("r2.tif")
        let young = try await scratch.ingestor.ingest(scratch.call("r2"))
        let retention = InboundRetention(store: scratch.store, ingestor: scratch.ingestor, clock: scratch.clock, logger: InboundSamples.quietLogger)

        scratch.clock.advance(by: 29 * 86_400 - 1)
        #expect(await retention.sweep() == 0)
        scratch.clock.advance(by: 1)
        #expect(await retention.sweep() == 1)

        #expect(scratch.pdfFiles() == ["\(young.id).pdf"])
        let record = try #require(try await scratch.store.fax(id: old.id))
        #expect(record.pdfDeletedAt == scratch.clock.now())
        #expect(record.pages == 2)
        #expect(!record.hasPDF)
        #expect(await retention.sweep() == 0)
    }

    @Test func theRetentionServiceSweepsHourly() async throws {
        let scratch = try InboundScratch()
        defer { scratch.remove() }
        try scratch.tiff("h1.tif")
        let fax = try await scratch.ingestor.ingest(scratch.call("h1"))
        let retention = InboundRetention(store: scratch.store, ingestor: scratch.ingestor, clock: scratch.clock, logger: InboundSamples.quietLogger)
        let task = Task { try await retention.run() }
        defer { task.cancel() }
        try await InboundSamples.eventually("the first sweep ran") { scratch.clock.sleeperCount == 1 }
        #expect(try await scratch.store.fax(id: fax.id)?.hasPDF == true)

        scratch.clock.advance(by: 30 * 86_400)
        try await InboundSamples.eventually("the PDF is deleted") { (try? await scratch.store.fax(id: fax.id)?.hasPDF) == false }

        #expect(scratch.pdfFiles().isEmpty)
    }
}

struct FakeInboundSource: InboundFaxSource {
    let inboundCalls: AsyncStream<InboundCall>
}
