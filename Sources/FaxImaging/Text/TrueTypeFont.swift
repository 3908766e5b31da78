import Foundation

/// A TrueType font file, parsed just enough to embed it whole in a PDF as a `CIDFontType2` font.
///
/// Reads the table directory and the `head`, `hhea`, `hmtx`, `maxp`, `cmap`, `name`, `OS/2` and
/// `post` tables with bounds-checked reads: a truncated or garbage file gives a
/// ``TrueTypeFontError``, never a crash.
public struct TrueTypeFont: Sendable, CustomStringConvertible {
    /// The complete font file, as embedded in `/FontFile2`.
    public let data: [UInt8]
    /// The PostScript name (`name` id 6), reduced to characters legal in a PDF name; used as `/BaseFont`.
    public let postScriptName: String
    /// Font design units per em (`head.unitsPerEm`).
    public let unitsPerEm: Int
    /// The number of glyphs (`maxp.numGlyphs`).
    public let glyphCount: Int
    /// The font bounding box in design units: xMin, yMin, xMax, yMax (`head`).
    public let boundingBox: (xMin: Int, yMin: Int, xMax: Int, yMax: Int)
    /// Typographic ascender in design units (`OS/2.sTypoAscender`, else `hhea.ascender`).
    public let ascender: Int
    /// Typographic descender in design units, negative below the baseline (`OS/2.sTypoDescender`, else `hhea.descender`).
    public let descender: Int
    /// Capital height in design units (`OS/2.sCapHeight`, else 70 % of the ascender).
    public let capHeight: Int
    /// Italic angle in degrees (`post.italicAngle`).
    public let italicAngle: Double
    /// Whether the font declares itself monospaced (`post.isFixedPitch`).
    public let isFixedPitch: Bool
    /// Weight class, 100–900 (`OS/2.usWeightClass`, else 400).
    public let weightClass: Int

    private let reader: ByteReader
    private let horizontalMetrics: Int
    private let horizontalMetricCount: Int
    private let characterMap: TrueTypeCharacterMap

    /// Reads and parses the font file at `path`.
    public init(contentsOfFile path: String) throws(TrueTypeFontError) {
        guard let contents = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        try self.init(data: [UInt8](contents))
    }

    /// Parses a TrueType font held in memory.
    public init(data: [UInt8]) throws(TrueTypeFontError) {
        let reader = ByteReader(data)
        self.data = data
        self.reader = reader
        let version = try reader.uint32(at: 0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else { throw .notTrueType(tag: try reader.tag(at: 0)) }
        let tables = try Self.tableDirectory(reader)
        func table(_ tag: String, minimumLength: Int) throws(TrueTypeFontError) -> Range<Int> {
            guard let range = tables[tag] else { throw .missingTable(tag) }
            guard range.count >= minimumLength else { throw .invalidTable(tag, reason: "only \(range.count) bytes long") }
            return range
        }

        let head = try table("head", minimumLength: 54).lowerBound
        unitsPerEm = Int(try reader.uint16(at: head + 18))
        guard (16...16384).contains(unitsPerEm) else { throw .invalidTable("head", reason: "unitsPerEm \(unitsPerEm)") }
        boundingBox = (
            Int(try reader.int16(at: head + 36)), Int(try reader.int16(at: head + 38)),
            Int(try reader.int16(at: head + 40)), Int(try reader.int16(at: head + 42))
        )
        let longOffsets = try reader.int16(at: head + 50) == 1

        glyphCount = Int(try reader.uint16(at: try table("maxp", minimumLength: 6).lowerBound + 4))
        guard glyphCount > 0 else { throw .invalidTable("maxp", reason: "no glyphs") }

        let hhea = try table("hhea", minimumLength: 36).lowerBound
        var ascender = Int(try reader.int16(at: hhea + 4))
        var descender = Int(try reader.int16(at: hhea + 6))
        horizontalMetricCount = Int(try reader.uint16(at: hhea + 34))
        let hmtx = try table("hmtx", minimumLength: 0)
        guard horizontalMetricCount > 0, horizontalMetricCount * 4 <= hmtx.count else {
            throw .invalidTable("hmtx", reason: "\(horizontalMetricCount) metrics in \(hmtx.count) bytes")
        }
        horizontalMetrics = hmtx.lowerBound

        // Outlines must be TrueType (glyf/loca) for /FontFile2, and complete, or renderers choke.
        let loca = try table("loca", minimumLength: (glyphCount + 1) * (longOffsets ? 4 : 2))
        let glyf = try table("glyf", minimumLength: 0)
        let glyfEnd =
            longOffsets
            ? Int(try reader.uint32(at: loca.lowerBound + glyphCount * 4)) : Int(try reader.uint16(at: loca.lowerBound + glyphCount * 2)) * 2
        guard glyfEnd <= glyf.count else { throw .invalidTable("loca", reason: "glyph data ends at \(glyfEnd), past 'glyf' (\(glyf.count) bytes)") }

        var capHeight = ascender * 7 / 10
        var weightClass = 400
        if let os2 = tables["OS/2"], os2.count >= 78 {
            weightClass = Int(try reader.uint16(at: os2.lowerBound + 4))
            ascender = Int(try reader.int16(at: os2.lowerBound + 68))
            descender = Int(try reader.int16(at: os2.lowerBound + 70))
            if try reader.uint16(at: os2.lowerBound) >= 2, os2.count >= 90 {
                let declared = Int(try reader.int16(at: os2.lowerBound + 88))
                if declared > 0 { capHeight = declared }
            }
        }
        self.ascender = ascender
        self.descender = descender
        self.capHeight = capHeight
        self.weightClass = weightClass

        if let post = tables["post"], post.count >= 16 {
            italicAngle = Double(Int32(bitPattern: try reader.uint32(at: post.lowerBound + 4))) / 65536
            isFixedPitch = try reader.uint32(at: post.lowerBound + 12) != 0
        } else {
            italicAngle = 0
            isFixedPitch = false
        }

        postScriptName = tables["name"].flatMap { try? Self.postScriptName(reader, table: $0) } ?? "EmbeddedFont"
        characterMap = try TrueTypeCharacterMap(reader: reader, table: try table("cmap", minimumLength: 4), glyphCount: glyphCount)
    }

    /// The glyph id for `scalar`, or `nil` when the font has no glyph for it.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        let glyph = characterMap.glyph(for: scalar)
        return glyph == 0 ? nil : glyph
    }

    /// The advance width of `glyph` in design units (`hmtx`); glyphs past the last metric share its width.
    public func advanceWidth(ofGlyph glyph: UInt16) -> Int {
        let index = min(Int(glyph), horizontalMetricCount - 1)
        return Int((try? reader.uint16(at: horizontalMetrics + index * 4)) ?? 0)
    }

    public var description: String {
        "TrueTypeFont(\(postScriptName), \(glyphCount) glyphs, \(data.count) bytes)"
    }

    /// Scales a design-unit value to PDF glyph space (1000 units per em).
    public func scaled(_ value: Int) -> Int {
        Int((Double(value) * 1000 / Double(unitsPerEm)).rounded())
    }

    /// The table directory: tag → byte range, every range checked to lie inside the file.
    private static func tableDirectory(_ reader: ByteReader) throws(TrueTypeFontError) -> [String: Range<Int>] {
        let count = Int(try reader.uint16(at: 4))
        var tables: [String: Range<Int>] = [:]
        for index in 0..<count {
            let record = 12 + index * 16
            let tag = try reader.tag(at: record)
            let offset = Int(try reader.uint32(at: record + 8))
            let length = Int(try reader.uint32(at: record + 12))
            try reader.check(offset: offset, length: length)
            tables[tag] = offset..<offset + length
        }
        return tables
    }

    /// Name id 6 (PostScript name) from the `name` table, Windows Unicode or Macintosh Roman records.
    private static func postScriptName(_ reader: ByteReader, table: Range<Int>) throws(TrueTypeFontError) -> String? {
        let count = Int(try reader.uint16(at: table.lowerBound + 2))
        let storage = table.lowerBound + Int(try reader.uint16(at: table.lowerBound + 4))
        for index in 0..<count {
            let record = table.lowerBound + 6 + index * 12
            let platform = try reader.uint16(at: record)
            guard try reader.uint16(at: record + 6) == 6, platform == 1 || platform == 3 else { continue }
            let length = Int(try reader.uint16(at: record + 8))
            let offset = storage + Int(try reader.uint16(at: record + 10))
            try reader.check(offset: offset, length: length)
            let raw = reader.bytes[offset..<offset + length]
            // Platform 3 stores UTF-16BE; PostScript names are ASCII, so keep the low bytes.
            let ascii = platform == 3 ? raw.enumerated().compactMap { $0.offset % 2 == 1 ? $0.element : nil } : Array(raw)
            let legal = ascii.filter { $0 > 0x20 && $0 < 0x7F && !"()<>[]{}/%#".utf8.contains($0) }.prefix(63)
            if !legal.isEmpty { return String(decoding: legal, as: UTF8.self) }
        }
        return nil
    }
}
