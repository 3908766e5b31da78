import Foundation
import Testing

@testable import FaxbotCore

@Suite struct DocumentSnifferTests {
    static func sniff(_ chunks: [UInt8]...) -> DocumentSniffer.Verdict {
        sniff(chunks: chunks)
    }

    static func sniff(chunks: [[UInt8]]) -> DocumentSniffer.Verdict {
        var sniffer = DocumentSniffer()
        for chunk in chunks { sniffer.feed(chunk) }
        return sniffer.verdict
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: empty

    @Test func nothingFedIsEmpty() {
        #expect(DocumentSniffer().verdict == .empty)
        #expect(Self.sniff([]) == .empty)
        #expect(Self.sniff([], [], []) == .empty)
    }

    // MARK: PDF

    @Test func aPDFHeaderMeansPDF() {
        #expect(Self.sniff(Self.bytes("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n")) == .kind(.pdf))
        #expect(Self.sniff(Self.bytes("%PDF-")) == .kind(.pdf))
    }

    @Test func binaryAfterThePDFHeaderIsStillPDF() {
        let body: [UInt8] = [0x00, 0xFF, 0xFE, 0x01, 0x89, 0x50]
        #expect(Self.sniff(Self.bytes("%PDF-1.4\n") + body + Array(repeating: 0, count: 4096)) == .kind(.pdf))
    }

    @Test(arguments: [1, 3, 100, 1023, 1024])
    func aPDFHeaderAfterLeadingJunkWithinOneKiBIsPDF(junk: Int) {
        let binary = [UInt8](repeating: 0x00, count: junk)
        #expect(Self.sniff(binary + Self.bytes("%PDF-1.4\n")) == .kind(.pdf))
        let text = [UInt8](repeating: UInt8(ascii: "x"), count: junk)
        #expect(Self.sniff(text + Self.bytes("%PDF-1.4\n")) == .kind(.pdf))
    }

    @Test(arguments: [1025, 2000])
    func aPDFHeaderAfterMoreThanOneKiBIsNotPDF(junk: Int) {
        let binary = [UInt8](repeating: 0x00, count: junk)
        #expect(Self.sniff(binary + Self.bytes("%PDF-1.4\n")) == .unsupported)
        let text = [UInt8](repeating: UInt8(ascii: "x"), count: junk)
        #expect(Self.sniff(text + Self.bytes("%PDF-1.4\n")) == .kind(.text))
    }

    @Test func aPDFHeaderSplitAcrossChunksIsPDF() {
        let header = Self.bytes("%PDF-1.5")
        for cut in 0...header.count {
            #expect(Self.sniff(Array(header[..<cut]), Array(header[cut...])) == .kind(.pdf), "cut at \(cut)")
        }
        #expect(Self.sniff(chunks: header.map { [$0] }) == .kind(.pdf))
    }

    @Test func onlyTheExactMarkerCounts() {
        #expect(Self.sniff(Self.bytes("%PDF 1.4\n")) == .kind(.text))
        #expect(Self.sniff(Self.bytes("%pdf-1.4\n")) == .kind(.text))
        #expect(Self.sniff(Self.bytes("%PD")) == .kind(.text))
    }

    // MARK: text

    @Test(arguments: ["hello", "Dear Sir,\r\n\tplease find...\n", "page one\u{0C}page two\n", " ", "\n"])
    func plainTextIsText(text: String) {
        #expect(Self.sniff(Self.bytes(text)) == .kind(.text))
    }

    @Test(arguments: ["Grüße aus Köln", "日本語のファックス", "emoji 🎉 and ñ", "\u{00A0}\u{2028}\u{FEFF}", "𝄞 clef"])
    func nonASCIIUTF8IsText(text: String) {
        #expect(Self.sniff(Self.bytes(text)) == .kind(.text))
    }

    @Test(arguments: ["é", "日", "🎉", "aé日🎉z"])
    func aCharacterSplitAcrossChunksIsStillText(text: String) {
        let bytes = Self.bytes(text)
        for cut in 1..<bytes.count {
            #expect(Self.sniff(Array(bytes[..<cut]), Array(bytes[cut...])) == .kind(.text), "cut at \(cut)")
        }
        #expect(Self.sniff(chunks: bytes.map { [$0] }) == .kind(.text))
    }

    @Test func aTruncatedCharacterAtTheEndIsUnsupported() {
        let cut = Array(Self.bytes("abc日")[..<4])
        #expect(Self.sniff(cut) == .unsupported)
        #expect(Self.sniff(Self.bytes("abc") + [0xF0, 0x9F, 0x8E]) == .unsupported)
        #expect(Self.sniff([0xC3]) == .unsupported)
    }

    @Test func theRestOfATruncatedCharacterMakesItTextAgain() {
        var sniffer = DocumentSniffer()
        sniffer.feed(Self.bytes("abc") + [0xE6, 0x97])
        #expect(sniffer.verdict == .unsupported)
        sniffer.feed([0xA5])
        #expect(sniffer.verdict == .kind(.text))
    }

    // MARK: unsupported

    @Test(arguments: [0x00, 0x01, 0x07, 0x08, 0x0B, 0x1B, 0x1F, 0x7F] as [UInt8])
    func controlCharactersAreUnsupported(byte: UInt8) {
        #expect(Self.sniff(Self.bytes("hello") + [byte] + Self.bytes("world")) == .unsupported)
    }

    @Test func aNULByteAnywhereIsUnsupported() {
        #expect(Self.sniff([0x00]) == .unsupported)
        #expect(Self.sniff(Self.bytes(String(repeating: "text ", count: 500)), [0x00]) == .unsupported)
        #expect(Self.sniff([0x00], Self.bytes("text after")) == .unsupported)
    }

    static let magic: [[UInt8]] = [
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],  // PNG
        [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00],  // ZIP / DOCX
        [0xFF, 0xD8, 0xFF, 0xE0],  // JPEG
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00],  // GIF
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],  // OLE2 .doc
    ]

    @Test(arguments: [[UInt8](arrayLiteral: 0x49, 0x49, 0x2A, 0x00), [0x4D, 0x4D, 0x00, 0x2A]])
    func tiffIsRecognisedInBothByteOrders(header: [UInt8]) {
        #expect(Self.sniff(header + [0x08, 0, 0, 0] + Self.bytes("rest of the file")) == .kind(.tiff))
    }

    @Test(arguments: ["%!PS-Adobe-3.0\n{} loop\n", "%!\n/x 1 def\n"])
    func postScriptIsRefusedByNameNotFaxedAsText(source: String) {
        #expect(Self.sniff(Self.bytes(source)) == .postScript)
    }

    @Test(arguments: magic)
    func otherFileFormatsAreUnsupported(header: [UInt8]) {
        #expect(Self.sniff(header + Self.bytes("rest of the file")) == .unsupported)
    }

    static let invalidUTF8: [[UInt8]] = [
        [0x80],  // lone continuation byte
        [0xBF, 0x41],
        [0xC3, 0x28],  // lead byte followed by ASCII
        [0xC0, 0xAF],  // overlong "/"
        [0xC1, 0xBF],  // overlong
        [0xE0, 0x80, 0xAF],  // overlong three-byte
        [0xED, 0xA0, 0x80],  // UTF-16 surrogate
        [0xF0, 0x80, 0x80, 0xAF],  // overlong four-byte
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],
        [0xFE],
        [0xFF],
        [0xE6, 0x41, 0xA5],  // interrupted sequence
    ]

    @Test(arguments: invalidUTF8)
    func invalidUTF8IsUnsupported(bytes: [UInt8]) {
        #expect(Self.sniff(Self.bytes("ok ") + bytes + Self.bytes(" ok")) == .unsupported)
    }

    @Test func validEdgesOfUTF8AreText() {
        #expect(Self.sniff([0xE0, 0xA0, 0x80]) == .kind(.text))  // U+0800
        #expect(Self.sniff([0xED, 0x9F, 0xBF]) == .kind(.text))  // U+D7FF
        #expect(Self.sniff([0xF0, 0x90, 0x80, 0x80]) == .kind(.text))  // U+10000
        #expect(Self.sniff([0xF4, 0x8F, 0xBF, 0xBF]) == .kind(.text))  // U+10FFFF
    }

    @Test func unsupportedIsFinal() {
        var sniffer = DocumentSniffer()
        sniffer.feed([0x00])
        sniffer.feed(Self.bytes("plain text from here on"))
        #expect(sniffer.verdict == .unsupported)
    }

    @Test func theKindNamesItsFileExtension() {
        #expect(DocumentKind.pdf.fileExtension == "pdf")
        #expect(DocumentKind.text.fileExtension == "txt")
    }
}
