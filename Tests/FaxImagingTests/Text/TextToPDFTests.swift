import FaxImaging
import Foundation
import Testing

/// End-to-end: rendered PDFs pass qpdf, extract with pdftotext, and render in Ghostscript with the expected page count.
struct TextToPDFTests {
    static let sample = "Grüße, café, naïve — Ωμέγα, 日本語"

    /// Writes `data` to a fresh directory and returns the PDF's path (the directory is removed by `cleanUp`).
    private func write(_ data: [UInt8]) throws -> String {
        let path = try ExternalTool.temporaryDirectory().appendingPathComponent("out.pdf").path
        try Data(data).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    private func expectValid(_ path: String, pages: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try ExternalTool.run("/usr/bin/qpdf", ["--check", path])
        #expect(check.status == 0, "qpdf: \(check.standardOutput)\(check.standardError)", sourceLocation: sourceLocation)
        let info = try ExternalTool.run("/usr/bin/pdfinfo", [path])
        #expect(info.standardOutput.contains(try Regex("Pages: +\(pages)\n")), "pdfinfo: \(info.standardOutput)", sourceLocation: sourceLocation)
        let tiff = (path as NSString).deletingPathExtension + ".tif"
        let gs = try ExternalTool.run(
            "/usr/bin/gs",
            [
                "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dPDFSTOPONERROR", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=letter",
                "-dFIXEDMEDIA", "-dPDFFitPage", "-sOutputFile=\(tiff)", path,
            ])
        #expect(gs.status == 0, "gs: \(gs.standardOutput)\(gs.standardError)", sourceLocation: sourceLocation)
        #expect(gs.standardError.isEmpty, "gs: \(gs.standardError)", sourceLocation: sourceLocation)
        let rendered = ExternalTool.tiffPageCount([UInt8](try Data(contentsOf: URL(fileURLWithPath: tiff))))
        #expect(rendered == pages, sourceLocation: sourceLocation)
    }

    private func extractText(_ path: String) throws -> String {
        try ExternalTool.run("/usr/bin/pdftotext", ["-enc", "UTF-8", "-layout", path, "-"]).standardOutput
    }

    @Test func nonASCIITextSurvivesAndMissingGlyphsBecomeReplacementCharacters() throws {
        let result = try TextToPDF().render(Self.sample + "\n")
        #expect(result.pages == 1)
        #expect(!result.usedFallbackFont)
        #expect(result.summary.fallbackReason == nil)
        #expect(result.summary.replacedCharacters == 3)
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: 1)
        let text = try extractText(path)
        #expect(text.contains("Grüße, café, naïve — Ωμέγα, \u{FFFD}\u{FFFD}\u{FFFD}"), "\(text.debugDescription)")
    }

    /// A named input for parameterised page-count tests, so test output shows the name rather than the text.
    struct PageCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var pages: Int

        var testDescription: String { "\(name) → \(pages) page(s)" }
    }

    static let pageCases = [
        PageCase(name: "empty", text: "", pages: 1),
        PageCase(name: "60 lines", text: String(repeating: "line\n", count: 60), pages: 1),
        PageCase(name: "61 lines", text: String(repeating: "line\n", count: 61), pages: 2),
        PageCase(name: "61 CRLF lines", text: String(repeating: "line\r\n", count: 61), pages: 2),
        PageCase(name: "two form feeds", text: "page one\u{0C}page two\u{0C}page three", pages: 3),
        PageCase(name: "60 lines of 81 columns", text: String(repeating: String(repeating: "a", count: 81) + "\n", count: 60), pages: 2),
        PageCase(name: "4801-column line", text: String(repeating: "a", count: 4801), pages: 2),
    ]

    @Test(arguments: pageCases)
    func pageCountsMatchTheLayout(_ pageCase: PageCase) throws {
        let result = try TextToPDF().render(pageCase.text)
        #expect(result.pages == pageCase.pages)
        #expect(TextLayout().pageCount(of: pageCase.text) == pageCase.pages)
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: pageCase.pages)
    }

    @Test func emptyTextIsOneBlankPage() throws {
        let result = try TextToPDF().render("")
        #expect(result.pages == 1)
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: 1)
        #expect(try extractText(path).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test(arguments: PaperSize.allCases)
    func mediaBoxMatchesThePaper(paper: PaperSize) throws {
        let result = try TextToPDF(paper: paper).render("hello")
        let text = String(decoding: result.data, as: UTF8.self)
        let expected = paper == .letter ? "/MediaBox [0 0 612 792]" : "/MediaBox [0 0 595.28 841.89]"
        #expect(text.contains(expected))
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: 1)
        let info = try ExternalTool.run("/usr/bin/pdfinfo", [path]).standardOutput
        #expect(info.contains(paper == .letter ? "612 x 792 pts (letter)" : "595.28 x 841.89 pts (A4)"), "\(info)")
    }

    @Test func wrappedAndTabbedTextExtractsInOrder() throws {
        let long = (1...30).map { "w\($0)" }.joined(separator: " ")
        let result = try TextToPDF().render("col1\tcol2\n" + long + "\n")
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: 1)
        let words = try extractText(path).split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(words == ["col1", "col2"] + (1...30).map { "w\($0)" })
    }

    @Test func missingFontFallsBackToCourier() throws {
        let result = try TextToPDF(fontPath: "/nonexistent/font.ttf").render("Hello, fax.\n" + Self.sample)
        #expect(result.usedFallbackFont)
        #expect(result.summary.fallbackReason?.contains("/nonexistent/font.ttf") == true)
        // Greek and CJK are outside WinAnsi.
        #expect(result.summary.replacedCharacters == 8)
        let text = String(decoding: result.data, as: UTF8.self)
        #expect(text.contains("/BaseFont /Courier /Encoding /WinAnsiEncoding"))
        let path = try write(result.data)
        defer { cleanUp(path) }
        try expectValid(path, pages: 1)
        let extracted = try extractText(path)
        #expect(extracted.contains("Hello, fax."))
        #expect(extracted.contains("Grüße, café, naïve — ?????, ???"), "\(extracted.debugDescription)")
    }

    @Test func noFontPathUsesCourier() throws {
        let result = try TextToPDF(fontPath: nil).render("x")
        #expect(result.usedFallbackFont)
    }

    @Test func truncatedFontIsATypedError() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.ttf").path
        let bytes = try TrueTypeFontTests.fontBytes()
        try Data(bytes.prefix(bytes.count / 3)).write(to: URL(fileURLWithPath: path))
        #expect {
            try TextToPDF(fontPath: path).render("x")
        } throws: { error in
            guard case .invalidFont(let errorPath, _) = error as? TextRenderError else { return false }
            return errorPath == path
        }
    }

    @Test func rendersFilesToFiles() throws {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.txt").path
        let output = directory.appendingPathComponent("out.pdf").path
        let text = String(repeating: Self.sample + " The quick brown fox jumps over the lazy dog.\n", count: 1000)
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        let summary = try TextToPDF(paper: .a4).render(fileAt: input, to: output)
        #expect(summary.pages == TextLayout().pageCount(of: text))
        #expect(summary.pages == 17)
        let written = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int
        #expect(written == summary.byteCount)
        try expectValid(output, pages: summary.pages)
        #expect(try extractText(output).contains("Ωμέγα, \u{FFFD}\u{FFFD}\u{FFFD} The quick brown fox"))
    }

    @Test func missingInputAndUnwritableOutputAreTypedErrors() throws {
        #expect(throws: TextRenderError.unreadableInput(path: "/nonexistent/in.txt")) {
            try TextToPDF().render(fileAt: "/nonexistent/in.txt", to: "/tmp/unused.pdf")
        }
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.txt").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: input))
        #expect(throws: TextRenderError.self) { try TextToPDF().render(fileAt: input, to: "/nonexistent/dir/out.pdf") }
    }
}
