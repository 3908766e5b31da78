import FaxImaging
import Foundation
import Testing

@Suite("TIFFPixelComparison")
struct TIFFPixelComparisonTests {
    let fixtures: TestDocuments.Fixtures

    init() throws {
        fixtures = try TestDocuments.Fixtures()
    }

    @Test("a file equals itself")
    func identity() throws {
        defer { fixtures.remove() }
        let comparison = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, fixtures.fine.path)
        #expect(comparison == PixelComparison(pagesInFirst: 3, pagesInSecond: 3, firstDifferingPage: nil))
        #expect(comparison.identical)
    }

    @Test("the same pixels compare equal across compression, fill order and photometric")
    func normalisesEncoding() throws {
        defer { fixtures.remove() }
        let g3 = try TestDocuments.render(
            fixtures.pdf,
            to: fixtures.output("g3.tif"),
            device: "tiffg3",
            extra: TestDocuments.fitLetter + ["-dFillOrder=2"]
        )
        let minIsBlack = fixtures.output("minisblack.tif")
        try TestDocuments.runTool("/usr/bin/tiffcp", ["-c", "none", fixtures.fine.path, minIsBlack.path])
        try TestDocuments.runTool("/usr/bin/tiffset", ["-s", "262", "1", minIsBlack.path])
        #expect(try TIFFPixelComparison.pagesEqual(fixtures.fine.path, g3.path).identical)
        // Flipping only the photometric tag inverts every pixel of page 1, so page 1 differs.
        let inverted = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, minIsBlack.path)
        #expect(inverted.firstDifferingPage == 1)
    }

    @Test("different resolutions differ on page 1")
    func differentPages() throws {
        defer { fixtures.remove() }
        let comparison = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, fixtures.standard.path)
        #expect(comparison.firstDifferingPage == 1)
        #expect(!comparison.identical)
    }

    @Test("a missing page is reported as the first differing page")
    func missingPage() throws {
        defer { fixtures.remove() }
        let twoPages = fixtures.output("two.tif")
        try TestDocuments.runTool("/usr/bin/tiffcp", [fixtures.fine.path + ",0,1", twoPages.path])
        let comparison = try TIFFPixelComparison.pagesEqual(fixtures.fine.path, twoPages.path)
        #expect(comparison == PixelComparison(pagesInFirst: 3, pagesInSecond: 2, firstDifferingPage: 3))
    }

    @Test("grayscale and non-TIFF inputs throw")
    func rejectsUnreadable() throws {
        defer { fixtures.remove() }
        let gray = try fixtures.grayscale()
        #expect(throws: PixelComparisonError.notBilevel(path: gray.path, page: 1, bitsPerPixel: 8)) {
            try TIFFPixelComparison.pagesEqual(fixtures.fine.path, gray.path)
        }
        #expect(throws: PixelComparisonError.cannotOpen(path: fixtures.pdf.path)) {
            try TIFFPixelComparison.pagesEqual(fixtures.pdf.path, fixtures.fine.path)
        }
    }
}
