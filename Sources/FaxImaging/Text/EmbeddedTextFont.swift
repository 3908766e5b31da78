/// A TrueType font embedded whole as a `Type0`/`CIDFontType2` font with `/Identity-H` encoding.
///
/// Character codes are glyph ids (`/CIDToGIDMap /Identity`), two bytes each. A `/ToUnicode`
/// CMap maps every glyph drawn back to the character it was drawn for, so text extraction
/// returns the original text. Characters the font lacks are drawn with the glyph of U+FFFD
/// (or `?` when that is missing too).
struct EmbeddedTextFont: TextPDFFont {
    let font: TrueTypeFont
    let advance: Double
    private(set) var replacedCharacters = 0
    /// Glyph ids for ASCII, resolved once.
    private let asciiGlyphs: [UInt16]
    private let replacementGlyph: UInt16
    private let replacementScalar: Unicode.Scalar
    /// Unicode value each drawn glyph maps back to, by glyph id; `UInt32.max` for glyphs not drawn.
    private var unicodeForGlyph: [UInt32]

    init(font: TrueTypeFont) {
        self.font = font
        if let glyph = font.glyph(for: "\u{FFFD}") {
            replacementGlyph = glyph
            replacementScalar = "\u{FFFD}"
        } else {
            replacementGlyph = font.glyph(for: "?") ?? 0
            replacementScalar = "?"
        }
        asciiGlyphs = (0..<128).map { font.glyph(for: Unicode.Scalar(UInt8($0))) ?? 0 }
        // Every cell is as wide as a space (or, failing that, glyph 0) so the grid stays monospaced.
        advance = Double(font.scaled(font.advanceWidth(ofGlyph: font.glyph(for: " ") ?? 0)))
        unicodeForGlyph = [UInt32](repeating: .max, count: font.glyphCount)
    }

    mutating func appendCode(for cell: Character, to hex: inout [UInt8]) {
        var scalar: Unicode.Scalar
        var glyph: UInt16
        if let ascii = cell.asciiValue {
            scalar = Unicode.Scalar(ascii)
            glyph = asciiGlyphs[Int(ascii)]
        } else {
            scalar = representativeScalar(of: cell)
            glyph = font.glyph(for: scalar) ?? 0
        }
        if glyph == 0 {
            replacedCharacters += 1
            glyph = replacementGlyph
            scalar = replacementScalar
        }
        if unicodeForGlyph[Int(glyph)] == .max { unicodeForGlyph[Int(glyph)] = scalar.value }
        hex.append(hexDigits[Int(glyph >> 12)])
        hex.append(hexDigits[Int(glyph >> 8 & 0xF)])
        hex.append(hexDigits[Int(glyph >> 4 & 0xF)])
        hex.append(hexDigits[Int(glyph & 0xF)])
    }

    func writeObjects(to writer: inout PDFWriter, reference: PDFObjectReference) {
        let name = PDFSyntax.name(font.postScriptName)
        let fontFile = writer.addStream(entries: "/Length1 \(font.data.count)", data: font.data)
        let box = font.boundingBox
        var flags = 4  // Symbolic, as usual for CID fonts
        if font.isFixedPitch { flags |= 1 }
        if font.italicAngle != 0 { flags |= 64 }
        let stemV = 10 + 220 * max(0, font.weightClass - 50) / 900
        let descriptor = writer.addObject(
            """
            << /Type /FontDescriptor /FontName \(name) /Flags \(flags) \
            /FontBBox [\(font.scaled(box.xMin)) \(font.scaled(box.yMin)) \(font.scaled(box.xMax)) \(font.scaled(box.yMax))] \
            /ItalicAngle \(PDFSyntax.number(font.italicAngle)) /Ascent \(font.scaled(font.ascender)) \
            /Descent \(font.scaled(font.descender)) /CapHeight \(font.scaled(font.capHeight)) /StemV \(stemV) \
            /FontFile2 \(fontFile) >>
            """)
        let cidFont = writer.addObject(
            """
            << /Type /Font /Subtype /CIDFontType2 /BaseFont \(name) \
            /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
            /FontDescriptor \(descriptor) /DW \(PDFSyntax.number(advance)) /CIDToGIDMap /Identity >>
            """)
        let toUnicode = writer.addStream(data: Array(toUnicodeCMap().utf8))
        writer.writeObject(
            reference,
            """
            << /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H \
            /DescendantFonts [\(cidFont)] /ToUnicode \(toUnicode) >>
            """)
    }

    /// A CMap from each drawn glyph id to its character (UTF-16BE), in `bfchar` blocks of at most 100.
    func toUnicodeCMap() -> String {
        var entries: [String] = []
        for (glyph, value) in unicodeForGlyph.enumerated() where value != .max {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let units = String(scalar).utf16.map { hex16(Int($0)) }.joined()
            entries.append("<\(hex16(glyph))> <\(units)>")
        }
        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        var start = 0
        while start < entries.count {
            let block = entries[start..<min(start + 100, entries.count)]
            cmap += "\(block.count) beginbfchar\n" + block.joined(separator: "\n") + "\nendbfchar\n"
            start += 100
        }
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return cmap
    }

    private func hex16(_ value: Int) -> String {
        String([12, 8, 4, 0].map { Character(Unicode.Scalar(hexDigits[value >> $0 & 0xF])) })
    }
}
