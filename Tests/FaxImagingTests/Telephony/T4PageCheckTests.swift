import FaxImaging
import Foundation
import Testing

@Suite("T4PageCheck")
struct T4PageCheckTests {
    let fixtures: TestDocuments.Fixtures

    init() throws {
        fixtures = try TestDocuments.Fixtures()
    }

    @Test("accepts a fine 3-page TIFF-F file")
    func acceptsFine() throws {
        defer { fixtures.remove() }
        let pages = try T4PageCheck.check(path: fixtures.fine.path)
        #expect(pages.map(\.index) == [1, 2, 3])
        for page in pages {
            #expect(page.width == 1728)
            #expect(page.rows == 2156)
            #expect(page.xResolution == 204)
            #expect(page.yResolution == 196)
            #expect(page.isFine)
            #expect(page.encodedBytes > 1000)
        }
    }

    @Test("accepts a standard-resolution 3-page TIFF-F file")
    func acceptsStandard() throws {
        defer { fixtures.remove() }
        let pages = try T4PageCheck.check(path: fixtures.standard.path)
        #expect(pages.count == 3)
        #expect(pages.allSatisfy { $0.width == 1728 && $0.rows == 1078 && $0.yResolution == 98 && !$0.isFine })
    }

    @Test("rejects a grayscale TIFF, naming page 1 and its bit depth")
    func rejectsGrayscale() throws {
        defer { fixtures.remove() }
        let gray = try fixtures.grayscale()
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: gray.path) }
        #expect(error == .unsupportedBitDepth(page: 1, bitsPerPixel: 8))
        #expect(error?.reason.contains("page 1 has 8 bits per pixel") == true)
    }

    @Test("rejects a 1734-pixel page, naming the page and the width")
    func rejectsWidth() throws {
        defer { fixtures.remove() }
        let wide = try fixtures.wide1734()
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: wide.path) }
        #expect(error == .unsupportedWidth(page: 1, width: 1734))
        #expect(error?.reason.hasPrefix("page 1 is 1734 pixels wide; a fax page must be 1728") == true)
    }

    @Test("names page 2 when only the second page is too wide")
    func rejectsSecondPage() throws {
        defer { fixtures.remove() }
        let mixed = try fixtures.landscapeSecondPage()
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: mixed.path) }
        #expect(error == .unsupportedWidth(page: 2, width: 2244))
        #expect(error?.reason.hasPrefix("page 2 is 2244 pixels wide; a fax page must be 1728") == true)
        #expect(error?.page == 2)
    }

    @Test("rejects a nonexistent file")
    func rejectsMissing() {
        defer { fixtures.remove() }
        let path = fixtures.output("missing.tif").path
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: path) }
        #expect(error == .fileNotFound(path: path))
        #expect(error?.reason.contains("does not exist") == true)
    }

    @Test("rejects a PDF passed as a TIFF")
    func rejectsPDF() {
        defer { fixtures.remove() }
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: fixtures.pdf.path) }
        guard case .notAFaxTIFF(let path, _) = error else {
            Issue.record("expected notAFaxTIFF, got \(String(describing: error))")
            return
        }
        #expect(path == fixtures.pdf.path)
        #expect(error?.reason.contains("cannot be opened as a fax TIFF") == true)
    }

    @Test("rejects an empty file and random bytes without crashing")
    func rejectsGarbage() throws {
        defer { fixtures.remove() }
        let empty = fixtures.output("empty.tif")
        try Data().write(to: empty)
        let garbage = fixtures.output("garbage.tif")
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00]
        var seed: UInt32 = 12_345
        for _ in 0..<4096 {
            seed = seed &* 1_103_515_245 &+ 12_345
            bytes.append(UInt8(truncatingIfNeeded: seed >> 16))
        }
        try Data(bytes).write(to: garbage)
        for url in [empty, garbage] {
            #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: url.path) }
        }
    }

    @Test("rejects a page whose resolution was changed to 300 dpi")
    func rejectsResolution() throws {
        defer { fixtures.remove() }
        let copy = fixtures.output("res300.tif")
        try FileManager.default.copyItem(at: fixtures.fine, to: copy)
        try TestDocuments.runTool("/usr/bin/tiffset", ["-d", "1", "-s", "282", "300", copy.path])
        let error = #expect(throws: PageCheckError.self) { try T4PageCheck.check(path: copy.path) }
        #expect(error == .unsupportedXResolution(page: 2, dpi: 300))
        #expect(error?.reason.contains("page 2 has a horizontal resolution of 300 dpi") == true)
    }

    @Test("a tiled or truncated TIFF is rejected, never crashes")
    func rejectsTiledAndTruncated() throws {
        defer { fixtures.remove() }
        let tiled = fixtures.output("tiled.tif")
        try TestDocuments.runTool("/usr/bin/tiffcp", ["-t", "-w", "256", "-l", "256", fixtures.fine.path, tiled.path])
        #expect(throws: PageCheckError.unreadablePage(page: 1)) { try T4PageCheck.check(path: tiled.path) }
        let data = try Data(contentsOf: fixtures.fine)
        let truncated = fixtures.output("truncated.tif")
        try data.prefix(data.count / 2).write(to: truncated)
        #expect(throws: PageCheckError.unreadablePage(page: 2)) { try T4PageCheck.check(path: truncated.path) }
    }
}
