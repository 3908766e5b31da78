import FaxbotCore
import Foundation
import Testing

@testable import FaxImaging

/// The conversion worker as the daemon uses it: a child process per document, started ahead of
/// need, bounded in memory and time.
@Suite(.timeLimit(.minutes(2))) struct IsolatedConverterTests {
    @Test func aTextDocumentBecomesACheckedFaxAndACloudPDF() async throws {
        let converter = IsolatedConverter(executable: try PipelineSupport.faxbotExecutable)
        let scratch = try TestDocuments.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("job.txt").path
        try "Grüße aus der Praxis\n\u{0C}page two\n".write(toFile: input, atomically: true, encoding: .utf8)
        let job = ConversionJob(
            input: input, kind: .text, faxTIFF: scratch.appendingPathComponent("job.fax.tif").path,
            pdf: scratch.appendingPathComponent("job.fax.pdf").path, resolution: .standard, paper: .a4)
        #expect(await converter.convert(job) == .converted(pages: 2))
        let pages = try PipelineSupport.pages(of: job.faxTIFF)
        #expect(pages.map(\.height) == [1146, 1146])
        #expect(try PipelineSupport.mode(of: job.faxTIFF) == 0o600)
        let text = try PipelineSupport.run("/usr/bin/pdftotext", [try #require(job.pdf), "-"])
        #expect(text.output.contains("Grüße aus der Praxis"))
        #expect(try PipelineSupport.mode(of: try #require(job.pdf)) == 0o600)
        // Only the two artifacts remain: no worker leftovers.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path)) == ["job.txt", "job.fax.tif", "job.fax.pdf"])
    }

    @Test func aDocumentOverTheMemoryBoundIsRejectedAndTheNextWorkerIsFine() async throws {
        let executable = try PipelineSupport.faxbotExecutable
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let corpus = HostileCorpus.shared
        let bomb = try #require(corpus.entries.first { $0.category == "memory_bomb" })
        let starved = IsolatedConverter(executable: executable, limits: ConversionLimits(memoryBytes: 256 << 20, concurrentWorkers: 1))
        let bombJob = ConversionJob(input: corpus.path(bomb), kind: .pdf, faxTIFF: fixtures.output("bomb.tif").path)
        #expect(await starved.convert(bombJob) == .rejected(reason: "the PDF needs more memory to render than the converter may use"))
        #expect(!FileManager.default.fileExists(atPath: bombJob.faxTIFF))
        // The same converter's next worker is a fresh process, unharmed.
        let job = ConversionJob(input: fixtures.pdf.path, kind: .pdf, faxTIFF: fixtures.output("a.tif").path)
        let next = await starved.convert(job)
        #expect(next == .converted(pages: 3))
    }

    @Test func aMissingExecutableIsTheConvertersFaultNotTheDocuments() async throws {
        let converter = IsolatedConverter(executable: "/nonexistent/faxbot")
        let outcome = await converter.convert(ConversionJob(input: "/nonexistent/a.pdf", kind: .pdf, faxTIFF: "/tmp/never.tif"))
        #expect(outcome == .unavailable(reason: "the conversion worker could not be started"))
    }

    @Test func manyDocumentsAtOnceEachGetTheirOwnWorker() async throws {
        let converter = IsolatedConverter(
            executable: try PipelineSupport.faxbotExecutable, limits: ConversionLimits(concurrentWorkers: 2))
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let outcomes = await withTaskGroup(of: ConversionOutcome.self) { group in
            for n in 0..<6 {
                group.addTask {
                    await converter.convert(ConversionJob(input: fixtures.pdf.path, kind: .pdf, faxTIFF: fixtures.output("\(n).tif").path))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .converted(pages: 3), count: 6))
    }
}

/// How a worker's death by signal is read.
@Suite struct WorkerSignalTests {
    let converter = IsolatedConverter(executable: "/nonexistent/faxbot")

    @Test(arguments: [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP, SIGXCPU, SIGXFSZ])
    func aSignalADocumentCanCauseRejectsIt(signal: Int32) {
        guard case .rejected(let reason) = converter.outcome(signal: signal) else {
            Issue.record("signal \(signal) was not blamed on the document")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP, SIGKILL, SIGQUIT])
    func aStopFromOutsideIsRetriedNotBlamedOnTheDocument(signal: Int32) {
        #expect(converter.outcome(signal: signal) == .unavailable(reason: "the conversion worker was stopped from outside (signal \(signal))"))
    }
}
