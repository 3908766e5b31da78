import CTIFF
import FaxImaging
import FaxbotCore
import Foundation
import Testing

/// Ghostscript through gsapi, verified and normalised to TIFF Class F (in-process: these PDFs are
/// the tests' own).
@Suite struct PDFToFaxTIFFTests {
    @Test(arguments: [(Resolution.fine, PaperSize.letter, 2156), (.standard, .letter, 1078), (.fine, .a4, 2292), (.standard, .a4, 1146)])
    func aThreePagePDFBecomesClassF(resolution: Resolution, paper: PaperSize, rows: Int) throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let output = fixtures.output("out.tif").path
        let pages = try PDFToFaxTIFF.convert(pdf: fixtures.pdf.path, output: output, resolution: resolution, paper: paper)
        #expect(pages == 3)
        let tags = try PipelineSupport.pages(of: output)
        #expect(tags.count == 3)
        for page in tags {
            #expect(page.width == 1728)
            #expect(page.height == rows)
            #expect(page.isBilevel)
            #expect(page.subfileType == Int(FILETYPE_PAGE))
            #expect(page.fillOrder == Int(FILLORDER_LSB2MSB))
            #expect(page.compression == Int(COMPRESSION_CCITTFAX4))
            #expect(page.photometric == Int(PHOTOMETRIC_MINISWHITE))
            #expect(page.xResolution == 204)
            #expect(page.yResolution == Double(resolution.linesPerInch))
            #expect(page.pageNumber?.page == page.index)
            #expect(page.pageNumber?.total == 3)
        }
        #expect(try PipelineSupport.mode(of: output) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: output + ".gs"), "Ghostscript's raw output is removed")
    }

    @Test func normalisingKeepsGhostscriptsPixels() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let output = fixtures.output("out.tif").path
        _ = try PDFToFaxTIFF.convert(pdf: fixtures.pdf.path, output: output, resolution: .fine, paper: .letter)
        // The gs CLI with the same arguments (fixtures.fine) draws the same pixels.
        let comparison = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, output)
        #expect(comparison.identical)
    }

    @Test func landscapePagesAreTurnedToFitTheFaxWidth() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let mixed = fixtures.output("mixed.pdf")
        try TestDocuments.writeTextPDF(to: mixed, pages: Array(TestDocuments.threePages.prefix(2)), landscape: [2])
        let output = fixtures.output("out.tif").path
        #expect(try PDFToFaxTIFF.convert(pdf: mixed.path, output: output, resolution: .fine, paper: .letter) == 2)
        #expect(try PipelineSupport.pages(of: output).map(\.width) == [1728, 1728])
        #expect(try T4PageCheck.check(path: output).count == 2)
    }

    @Test func theArgumentsAreTheDocumentedOnes() {
        let arguments = PDFToFaxTIFF.arguments(pdf: "/spool/a.pdf", output: "/spool/a.tif", resolution: .standard, paper: .a4)
        for expected in [
            "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dPDFSTOPONERROR", "-sDEVICE=tiffg4", "-r204x98", "-sPAPERSIZE=a4", "-dFIXEDMEDIA",
            "-dPDFFitPage", "-sOutputFile=/spool/a.tif",
        ] {
            #expect(arguments.contains(expected), "\(expected)")
        }
        #expect(arguments.last == "/spool/a.pdf")
        #expect(!arguments.contains("-dNOSAFER"))
    }

    @Test(arguments: [
        (Data(), "empty"),
        (Data("hello, this is not a PDF".utf8), "not a PDF"),
        (Data("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".utf8), "PDF"),
    ])
    func brokenPDFsAreRejectedWithAReason(content: Data, reasonFragment: String) throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let input = fixtures.output("bad.pdf")
        try content.write(to: input)
        let output = fixtures.output("out.tif").path
        #expect {
            try PDFToFaxTIFF.convert(pdf: input.path, output: output, resolution: .fine, paper: .letter)
        } throws: { error in
            (error as? DocumentRejection)?.reason.contains(reasonFragment) == true
        }
        #expect(!FileManager.default.fileExists(atPath: output + ".gs"))
    }

    @Test func aPasswordProtectedPDFIsRejectedAsSuch() throws {
        let fixtures = try TestDocuments.Fixtures()
        defer { fixtures.remove() }
        let locked = fixtures.output("locked.pdf").path
        let qpdf = try PipelineSupport.run("/usr/bin/qpdf", ["--encrypt", "user", "owner", "256", "--", fixtures.pdf.path, locked])
        #expect(qpdf.status == 0)
        #expect {
            try PDFToFaxTIFF.convert(pdf: locked, output: fixtures.output("out.tif").path, resolution: .fine, paper: .letter)
        } throws: { error in
            (error as? DocumentRejection)?.reason == "the PDF is protected by a password; send it without the password"
        }
    }
}
