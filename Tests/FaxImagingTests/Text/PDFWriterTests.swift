import FaxImaging
import Foundation
import Testing

/// The generic PDF writer: numbers, names, xref offsets, streaming.
struct PDFWriterTests {
    @Test func formatsNumbersWithoutExponents() {
        #expect(PDFSyntax.number(612) == "612")
        #expect(PDFSyntax.number(595.28) == "595.28")
        #expect(PDFSyntax.number(10.465116) == "10.4651")
        #expect(PDFSyntax.number(-0.5) == "-0.5")
        #expect(PDFSyntax.number(0.00001) == "0")
        #expect(PDFSyntax.number(0.0001) == "0.0001")
        #expect(PDFSyntax.number(1e-20) == "0")
        #expect(PDFSyntax.number(.nan) == "0")
    }

    @Test func escapesNamesAndStrings() {
        #expect(PDFSyntax.name("DejaVu Sans#1") == "/DejaVu#20Sans#231")
        #expect(PDFSyntax.literalString("a(b)\\c é") == "(a\\(b\\)\\\\c ?)")
        #expect(PDFSyntax.hexString([0x00, 0xAB]) == "<00AB>")
    }

    @Test func xrefOffsetsPointAtTheirObjectsEvenWhenWrittenOutOfOrderAndTakenInPieces() throws {
        var writer = PDFWriter()
        let catalog = writer.reserveObject()
        let pages = writer.reserveObject()
        var file = writer.takeBytes()
        let content = writer.addStream(data: Array("BT /F1 12 Tf 72 720 Td (Hello) Tj ET".utf8))
        let font = writer.addObject("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        let page = writer.addObject(
            "<< /Type /Page /Parent \(pages) /MediaBox [0 0 612 792] /Resources << /Font << /F1 \(font) >> >> /Contents \(content) >>")
        file += writer.takeBytes()
        writer.writeObject(pages, "<< /Type /Pages /Kids [\(page)] /Count 1 >>")
        writer.writeObject(catalog, "<< /Type /Catalog /Pages \(pages) >>")
        writer.finish(root: catalog)
        file += writer.takeBytes()
        #expect(writer.byteCount == file.count)

        let text = String(decoding: file, as: UTF8.self)
        let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let xrefLines = String(decoding: file[xrefOffset...], as: UTF8.self).split(separator: "\r\n")
        #expect(xrefLines[0] == "xref\n0 6\n0000000000 65535 f")
        for number in 1...5 {
            let offset = try #require(Int(xrefLines[number].prefix(10)))
            #expect(String(decoding: file[offset...].prefix(12), as: UTF8.self).hasPrefix("\(number) 0 obj\n"))
        }

        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hello.pdf").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        let check = try ExternalTool.run("/usr/bin/qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        let extracted = try ExternalTool.run("/usr/bin/pdftotext", [path, "-"])
        #expect(extracted.standardOutput.contains("Hello"))
    }
}
