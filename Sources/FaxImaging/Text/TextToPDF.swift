import Foundation

/// Renders plain UTF-8 text as a PDF for faxing: monospace, 80 columns and 60 lines to a page
/// (see ``TextLayout``), on Letter or A4.
///
/// The text block is 7 × 10 in, centred on the page (Letter: 0.75 in side and 0.5 in top and
/// bottom margins). The configured TrueType font is embedded whole as a `CIDFontType2` font
/// with a `/ToUnicode` map, so any character it covers survives, and text extraction gives the
/// original characters back. If the font file does not exist (or `fontPath` is `nil`), the
/// standard font Courier with WinAnsiEncoding is used instead and the result says so.
public struct TextToPDF: Sendable {
    /// DejaVu Sans Mono from Debian's `fonts-dejavu-core`.
    public static let defaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

    public var paper: PaperSize
    /// The TrueType font to embed; `nil` uses Courier.
    public var fontPath: String?
    public var layout: TextLayout

    /// Text block width and height in points: 7 × 10 in.
    static let blockSize = (width: 504.0, height: 720.0)

    public init(paper: PaperSize = .letter, fontPath: String? = TextToPDF.defaultFontPath, layout: TextLayout = TextLayout()) {
        self.paper = paper
        self.fontPath = fontPath
        self.layout = layout
    }

    /// Renders `text` to a PDF in memory.
    public func render(_ text: String) throws(TextRenderError) -> TextRenderResult {
        let (font, fallbackReason) = try loadFont()
        var writer = PDFWriter(reserveCapacity: (font?.data.count ?? 0) + text.utf8.count * 5 + 4096)
        let ignore: (inout PDFWriter) -> Void = { _ in }
        var summary = compose(text, font: font, writer: &writer, flush: ignore)
        summary.fallbackReason = fallbackReason
        return TextRenderResult(data: writer.takeBytes(), summary: summary)
    }

    /// Renders the UTF-8 text file at `inputPath` to a PDF file at `outputPath`, writing it out as pages are done.
    ///
    /// Invalid UTF-8 is decoded as U+FFFD rather than rejected. A partly written output is removed on failure.
    @discardableResult
    public func render(fileAt inputPath: String, to outputPath: String) throws(TextRenderError) -> TextRenderSummary {
        let (font, fallbackReason) = try loadFont()
        guard let contents = FileManager.default.contents(atPath: inputPath) else { throw .unreadableInput(path: inputPath) }
        let text = String(decoding: contents, as: UTF8.self)
        guard FileManager.default.createFile(atPath: outputPath, contents: nil), let handle = FileHandle(forWritingAtPath: outputPath) else {
            throw .unwritableOutput(path: outputPath, reason: "cannot create file")
        }
        var writeFailure: String?
        let flush: (inout PDFWriter) -> Void = { writer in
            guard writeFailure == nil else { return }
            do {
                try handle.write(contentsOf: writer.takeBytes())
            } catch {
                writeFailure = String(describing: error)
            }
        }
        var writer = PDFWriter(reserveCapacity: 8 << 20)
        var summary = compose(text, font: font, writer: &writer, flush: flush)
        flush(&writer)
        do {
            try handle.close()
        } catch {
            writeFailure = writeFailure ?? String(describing: error)
        }
        if let writeFailure {
            try? FileManager.default.removeItem(atPath: outputPath)
            throw .unwritableOutput(path: outputPath, reason: writeFailure)
        }
        summary.fallbackReason = fallbackReason
        return summary
    }

    /// The TrueType font to embed, or `nil` and the reason Courier is used.
    private func loadFont() throws(TextRenderError) -> (TrueTypeFont?, String?) {
        guard let fontPath else { return (nil, "no font configured") }
        guard FileManager.default.fileExists(atPath: fontPath) else { return (nil, "font file \(fontPath) not found") }
        do throws(TrueTypeFontError) {
            return (try TrueTypeFont(contentsOfFile: fontPath), nil)
        } catch {
            throw .invalidFont(path: fontPath, error)
        }
    }

    private func compose(
        _ text: String, font: TrueTypeFont?, writer: inout PDFWriter, flush: (inout PDFWriter) -> Void
    ) -> TextRenderSummary {
        if let font {
            var embedded = EmbeddedTextFont(font: font)
            return compose(text, font: &embedded, writer: &writer, flush: flush)
        }
        var courier = CourierTextFont()
        return compose(text, font: &courier, writer: &writer, flush: flush)
    }

    /// Writes the whole document: pages as they are laid out (calling `flush` when a few MB are pending), then fonts and page tree.
    private func compose<Font: TextPDFFont>(
        _ text: String, font: inout Font, writer: inout PDFWriter, flush: (inout PDFWriter) -> Void
    ) -> TextRenderSummary {
        let catalog = writer.reserveObject()
        let pageTree = writer.reserveObject()
        let fontReference = writer.reserveObject()

        let cellWidth = font.advance / 1000
        let leading = Self.blockSize.height / Double(layout.linesPerPage)
        let fontSize = min(Self.blockSize.width / (Double(layout.columns) * max(cellWidth, 0.1)), leading / 1.05)
        let left = (paper.width - Double(layout.columns) * cellWidth * fontSize) / 2
        let firstBaseline = (paper.height + Self.blockSize.height) / 2 - leading * 0.8
        let mediaBox = "[0 0 \(PDFSyntax.number(paper.width)) \(PDFSyntax.number(paper.height))]"
        let pageStart = Array(
            "BT\n/F1 \(PDFSyntax.number(fontSize)) Tf\n\(PDFSyntax.number(leading)) TL\n\(PDFSyntax.number(left)) \(PDFSyntax.number(firstBaseline)) Td\n"
                .utf8)

        var pages: [PDFObjectReference] = []
        var content: [UInt8] = []
        content.reserveCapacity(32 * 1024)
        func finishPage() {
            content.append(contentsOf: "ET\n".utf8)
            let stream = writer.addStream(data: content)
            pages.append(
                writer.addObject(
                    "<< /Type /Page /Parent \(pageTree) /MediaBox \(mediaBox) /Resources << /Font << /F1 \(fontReference) >> >> /Contents \(stream) >>"
                ))
            content.removeAll(keepingCapacity: true)
            if writer.pendingByteCount >= 4 << 20 { flush(&writer) }
        }

        layout.layOut(text) { line in
            if line.line == 0 {
                if line.page > 0 { finishPage() }
                content.append(contentsOf: pageStart)
            }
            var cells = line.cells
            while cells.last == " " { cells.removeLast() }
            if cells.isEmpty {
                if line.line > 0 { content.append(contentsOf: "T*\n".utf8) }
                return
            }
            content.append(UInt8(ascii: "<"))
            for cell in cells { font.appendCode(for: cell, to: &content) }
            content.append(contentsOf: (line.line == 0 ? "> Tj\n" : "> '\n").utf8)
        }
        finishPage()

        font.writeObjects(to: &writer, reference: fontReference)
        writer.writeObject(pageTree, "<< /Type /Pages /Kids [\(pages.map(\.description).joined(separator: " "))] /Count \(pages.count) >>")
        writer.writeObject(catalog, "<< /Type /Catalog /Pages \(pageTree) >>")
        let info = writer.addObject("<< /Producer (Faxbot) >>")
        writer.finish(root: catalog, info: info)
        return TextRenderSummary(
            pages: pages.count, byteCount: writer.byteCount, usedFallbackFont: !(font is EmbeddedTextFont), fallbackReason: nil,
            replacedCharacters: font.replacedCharacters)
    }
}
