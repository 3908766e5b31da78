import FaxImaging
import FaxbotCore
import Foundation
import Testing

/// Every document of the hostile corpus ends as a correct TIFF-F (which then survives a complete
/// T.30 call pixel for pixel) or as a rejection with a reason, through the real isolated worker
/// under the real limits. The time bomb proves the wall-time bound, the memory bomb the memory
/// bound; neither takes anything else down.
@Suite(.timeLimit(.minutes(5))) struct HostileCorpusTests {
    /// The daemon's default memory limit; a shorter wall time than its 60 s keeps the suite quick
    /// (the slowest good document, a 1 GiB decompression bomb, renders in about 11 s).
    static let converter: IsolatedConverter? = (try? PipelineSupport.faxbotExecutable).map {
        IsolatedConverter(executable: $0, limits: ConversionLimits(wallTime: .seconds(30), memoryBytes: 512 << 20, concurrentWorkers: 2))
    }

    @Test func theCorpusHasAtLeastThirtyDocumentsAndBothBombs() throws {
        let entries = HostileCorpus.shared.entries
        #expect(entries.count >= 30)
        #expect(entries.contains { $0.category == "time_bomb" })
        #expect(entries.contains { $0.category == "memory_bomb" })
        _ = try PipelineSupport.faxbotExecutable
    }

    @Test(arguments: HostileCorpus.shared.entries)
    func everyDocumentEndsConvertedOrRejectedWithAReason(entry: HostileCorpus.Entry) async throws {
        let corpus = HostileCorpus.shared
        let converter = try #require(Self.converter)
        let scratch = try TestDocuments.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Intake first: the daemon sniffs the bytes and refuses what is not PDF, text or TIFF.
        let data = try Data(contentsOf: URL(fileURLWithPath: corpus.path(entry)))
        var sniffer = DocumentSniffer()
        sniffer.feed(data)
        guard case .kind(let kind) = sniffer.verdict else {
            #expect(entry.expect == "rejected", "\(entry.file) was refused at intake: \(sniffer.verdict)")
            if entry.reason_contains == "postscript" { #expect(sniffer.verdict == .postScript) }
            return
        }
        // Stored under the job's id, never the client's name, as the spool does.
        let input = scratch.appendingPathComponent("job.\(kind.fileExtension)").path
        try data.write(to: URL(fileURLWithPath: input))
        let faxTIFF = scratch.appendingPathComponent("job.fax.tif").path
        let outcome = await converter.convert(ConversionJob(input: input, kind: kind, faxTIFF: faxTIFF))
        switch (entry.expect, outcome) {
        case ("pages", .converted(let pages)):
            #expect(pages == entry.pages)
            let checked = try T4PageCheck.check(path: faxTIFF)
            #expect(checked.count == pages)
            #expect(checked.allSatisfy { $0.width == 1728 })
            // The whole T.30 exchange, as a far-end fax machine would receive it.
            let received = scratch.appendingPathComponent("received.tif").path
            let call = try await FaxLoopback(mode: .t38, inputPath: faxTIFF, outputPath: received, ecm: pages % 2 == 0).runOnDedicatedThread()
            #expect(call.transmitter == .ok)
            #expect(call.receiver == .ok)
            #expect(call.pagesReceived == pages)
            #expect(try TIFFPixelComparison.pagesEqual(faxTIFF, received).identical)
        case ("rejected", .rejected(let reason)):
            #expect(!reason.isEmpty)
            if let fragment = entry.reason_contains { #expect(reason.lowercased().contains(fragment), "\(reason)") }
            if entry.category == "time_bomb" { #expect(reason.contains("took longer than 30 s"), "\(reason)") }
            if entry.category == "memory_bomb" { #expect(reason.contains("memory"), "\(reason)") }
            #expect(!FileManager.default.fileExists(atPath: faxTIFF), "a rejected document leaves no partial fax file")
            // Nothing a client named the file appears in the reason.
            #expect(!reason.contains(entry.file))
        default:
            Issue.record("\(entry.file): expected \(entry.expect) \(entry.pages.map(String.init) ?? ""), got \(outcome)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".gs") || $0.hasSuffix(".result") }
        #expect(leftovers.isEmpty)
    }
}
