import FaxImaging
import Foundation
import Testing

/// Parsing DejaVu Sans Mono, and refusing damaged font data without crashing.
struct TrueTypeFontTests {
    static let fontPath = TextToPDF.defaultFontPath

    static func fontBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fontPath)))
    }

    @Test func readsDejaVuSansMonoMetricsAndCharacterMap() throws {
        let font = try TrueTypeFont(contentsOfFile: Self.fontPath)
        #expect(font.postScriptName == "DejaVuSansMono")
        #expect(font.unitsPerEm == 2048)
        #expect(font.isFixedPitch)
        #expect(font.glyphCount > 3000)
        let space = try #require(font.glyph(for: " "))
        #expect(font.scaled(font.advanceWidth(ofGlyph: space)) == 602)
        for scalar in "AÜßéΩμ—\u{FFFD}".unicodeScalars {
            #expect(font.glyph(for: scalar) != nil, "no glyph for U+\(String(scalar.value, radix: 16))")
        }
        #expect(font.glyph(for: "日") == nil)
        #expect(font.glyph(for: "\u{1F600}") == nil)
        #expect(font.ascender > 0 && font.descender < 0 && font.capHeight > 0)
    }

    @Test func truncatedFontsGiveATypedError() throws {
        let bytes = try Self.fontBytes()
        for length in [0, 3, 11, 12, 100, 400, 1000, 4096, bytes.count / 2, bytes.count - 4] {
            #expect(throws: TrueTypeFontError.self, "\(length) bytes") { try TrueTypeFont(data: Array(bytes.prefix(length))) }
        }
    }

    @Test func garbageDataGivesATypedError() {
        var generator = SplitMix64(seed: 7)
        let garbage = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(throws: TrueTypeFontError.self) { try TrueTypeFont(data: garbage) }
        #expect(throws: TrueTypeFontError.notTrueType(tag: "OTTO")) { try TrueTypeFont(data: Array("OTTO".utf8) + [UInt8](repeating: 0, count: 12)) }
    }

    /// Random damage to the table directory and the first tables: parsing may succeed or throw, but must not crash.
    @Test func corruptedFontsNeverCrash() throws {
        let original = try Self.fontBytes()
        var generator = SplitMix64(seed: 1234)
        var failures = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<8 {
                let position = Int(generator.next() % 2048)
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let font = try TrueTypeFont(data: bytes)
                for scalar in "Aé日\u{1F600}".unicodeScalars { _ = font.glyph(for: scalar).map(font.advanceWidth(ofGlyph:)) }
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test func damagedCharacterMapNeverCrashes() throws {
        let original = try Self.fontBytes()
        // Locate the cmap table through the directory and scribble over it.
        let tableCount = Int(original[4]) << 8 | Int(original[5])
        var cmap: Range<Int>?
        for index in 0..<tableCount {
            let record = 12 + index * 16
            guard String(decoding: original[record..<record + 4], as: UTF8.self) == "cmap" else { continue }
            let offset = original[record + 8..<record + 12].reduce(0) { $0 << 8 | Int($1) }
            let length = original[record + 12..<record + 16].reduce(0) { $0 << 8 | Int($1) }
            cmap = offset..<offset + length
        }
        let range = try #require(cmap)
        var generator = SplitMix64(seed: 99)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<6 {
                bytes[range.lowerBound + Int(generator.next() % UInt64(min(range.count, 512)))] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let font = try? TrueTypeFont(data: bytes) {
                for scalar in "Aé\u{FFFD}\u{10FFFF}".unicodeScalars { _ = font.glyph(for: scalar) }
            }
        }
    }
}
