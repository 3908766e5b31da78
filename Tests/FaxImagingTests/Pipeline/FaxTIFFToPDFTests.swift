import FaxImaging
import Foundation
import Testing

/// Inbound: what ReceiveFAX/rxfax (here: a spandsp receiver) writes → PDF.
@Suite struct FaxTIFFToPDFTests {
    /// Page sizes from `pdfinfo -f 1 -l N`, in points.
    static func pageSizes(_ pdf: String, pages: Int) throws -> [(Double, Double)] {
        let info = try PipelineSupport.run("/usr/bin/pdfinfo", ["-f", "1", "-l", "\(pages)", pdf])
        return info.output.split(separator: "\n").filter { $0.hasPrefix("Page") && $0.contains("size:") }.compactMap { line in
            let words = line.split(separator: " ")
            guard let x = words.firstIndex(of: "x"), x > 0, x + 1 < words.count, let w = Double(words[x - 1]), let h = Double(words[x + 1]) else {
                return nil
            }
            return (w, h)
        }
    }

    @Test(arguments: [false, true])
    func aThreePageFaxReceivedBySpandspBecomesAThreePagePDFThatQpdfAccepts(standard: Bool) async throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let received = fixtures.output("received.tif").path
        let call = FaxLoopback(mode: .t38, inputPath: standard ? fixtures.standard.path : fixtures.fine.path, outputPath: received)
        let result = try await call.runOnDedicatedThread()
        #expect(result.succeeded)
        #expect(result.pagesReceived == 3)
        let pdf = fixtures.output("inbound.pdf").path
        #expect(try FaxTIFFToPDF.convert(tiff: received, output: pdf) == 3)
        let check = try PipelineSupport.run("/usr/bin/qpdf", ["--check", pdf])
        #expect(check.status == 0)
        #expect(try PipelineSupport.run("/usr/bin/qpdf", ["--show-npages", pdf]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
        // Letter at 1728 × 2156 (fine) or 1728 × 1078 (standard): the same physical page either way.
        for (width, height) in try Self.pageSizes(pdf, pages: 3) {
            #expect(abs(width - 609.88) < 0.5)
            #expect(abs(height - 792.0) < 1.5)
        }
        #expect(try PipelineSupport.mode(of: pdf) == 0o600)
    }

    @Test func thePDFShowsTheFaxsPixels() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let pdf = fixtures.output("inbound.pdf").path
        _ = try FaxTIFFToPDF.convert(tiff: fixtures.fine.path, output: pdf)
        // Rendering the PDF back at the fax's own resolution gives the fax's pixels.
        let back = fixtures.output("back.tif")
        _ = try TestDocuments.render(URL(fileURLWithPath: pdf), to: back)
        #expect(try TIFFPixelComparison.pagesEqual(fixtures.fine.path, back.path).identical)
    }

    @Test func aGrayscaleTIFFIsRejected() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        #expect(throws: DocumentRejection.self) {
            try FaxTIFFToPDF.convert(tiff: try fixtures.grayscale().path, output: fixtures.output("x.pdf").path)
        }
        #expect(!FileManager.default.fileExists(atPath: fixtures.output("x.pdf").path))
    }
}
