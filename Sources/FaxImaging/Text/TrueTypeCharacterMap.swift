/// Unicode → glyph id lookup parsed from a TrueType `cmap` table.
///
/// Reads format 4 (Basic Multilingual Plane) and format 12 (all planes) subtables of the
/// Unicode (platform 0) or Windows Unicode (platform 3, encodings 1 and 10) kind. The BMP is
/// expanded into a flat 64 Ki table for O(1) lookups; astral characters use a binary search
/// over the format 12 groups.
struct TrueTypeCharacterMap: Sendable {
    /// Glyph ids for U+0000…U+FFFF; 0 means "not in the font".
    private var basicPlane: [UInt16]
    /// Format 12 groups covering characters above U+FFFF, sorted by first character.
    private var astralGroups: [Group]

    struct Group: Sendable {
        var first: UInt32
        var last: UInt32
        var glyph: UInt32
    }

    /// The glyph id for `scalar`, or 0 (`.notdef`) when the font lacks it.
    func glyph(for scalar: Unicode.Scalar) -> UInt16 {
        let value = scalar.value
        if value <= 0xFFFF { return basicPlane[Int(value)] }
        var low = 0
        var high = astralGroups.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let group = astralGroups[middle]
            if value < group.first {
                high = middle - 1
            } else if value > group.last {
                low = middle + 1
            } else {
                return UInt16(truncatingIfNeeded: group.glyph + (value - group.first))
            }
        }
        return 0
    }

    /// Parses the `cmap` table at `table` (offset, length) of `reader`; glyph ids at or above `glyphCount` read as 0.
    init(reader: ByteReader, table: Range<Int>, glyphCount: Int) throws(TrueTypeFontError) {
        basicPlane = [UInt16](repeating: 0, count: 0x1_0000)
        astralGroups = []
        let base = table.lowerBound
        let subtableCount = Int(try reader.uint16(at: base + 2))
        var format4: Int?
        var format12: Int?
        for index in 0..<subtableCount {
            let record = base + 4 + index * 8
            let platform = try reader.uint16(at: record)
            let encoding = try reader.uint16(at: record + 2)
            let offset = base + Int(try reader.uint32(at: record + 4))
            let isUnicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard isUnicode, offset >= base, offset + 2 <= table.upperBound else { continue }
            switch try reader.uint16(at: offset) {
            case 4 where format4 == nil: format4 = offset
            case 12 where format12 == nil: format12 = offset
            default: break
            }
        }
        guard format4 != nil || format12 != nil else { throw .noUnicodeCharacterMap }
        if let format4 {
            try readFormat4(reader: reader, at: format4, end: table.upperBound, glyphCount: glyphCount)
        }
        if let format12 {
            try readFormat12(reader: reader, at: format12, end: table.upperBound, glyphCount: glyphCount)
        }
    }

    private mutating func readFormat4(reader: ByteReader, at start: Int, end: Int, glyphCount: Int) throws(TrueTypeFontError) {
        let segmentCount = Int(try reader.uint16(at: start + 6)) / 2
        let endCodes = start + 14
        let startCodes = endCodes + segmentCount * 2 + 2
        let deltas = startCodes + segmentCount * 2
        let rangeOffsets = deltas + segmentCount * 2
        guard rangeOffsets + segmentCount * 2 <= end else { throw .invalidTable("cmap", reason: "format 4 segments run past the table") }
        // Real fonts have disjoint segments; a budget stops crafted overlapping ones from taking forever.
        var budget = 0x2_0000
        for segment in 0..<segmentCount {
            let last = Int(try reader.uint16(at: endCodes + segment * 2))
            let first = Int(try reader.uint16(at: startCodes + segment * 2))
            let delta = Int(try reader.uint16(at: deltas + segment * 2))
            let rangeOffsetPosition = rangeOffsets + segment * 2
            let rangeOffset = Int(try reader.uint16(at: rangeOffsetPosition))
            guard first <= last else { continue }
            budget -= last - first + 1
            guard budget >= 0 else { throw .invalidTable("cmap", reason: "format 4 segments overlap excessively") }
            for code in first...last {
                var glyph: Int
                if rangeOffset == 0 {
                    glyph = (code + delta) & 0xFFFF
                } else {
                    let address = rangeOffsetPosition + rangeOffset + 2 * (code - first)
                    guard address + 2 <= end, let raw = try? reader.uint16(at: address) else { continue }
                    glyph = raw == 0 ? 0 : (Int(raw) + delta) & 0xFFFF
                }
                if glyph >= glyphCount { glyph = 0 }
                basicPlane[code] = UInt16(glyph)
            }
        }
    }

    private mutating func readFormat12(reader: ByteReader, at start: Int, end: Int, glyphCount: Int) throws(TrueTypeFontError) {
        let groupCount = Int(try reader.uint32(at: start + 12))
        guard groupCount <= (end - start - 16) / 12 else { throw .invalidTable("cmap", reason: "format 12 groups run past the table") }
        var budget = 0x2_0000
        var groups: [Group] = []
        for index in 0..<groupCount {
            let record = start + 16 + index * 12
            let first = try reader.uint32(at: record)
            let last = try reader.uint32(at: record + 4)
            let glyph = try reader.uint32(at: record + 8)
            guard first <= last, last <= 0x10_FFFF, glyph < UInt32(glyphCount) else { continue }
            // Clamp so every glyph id in the group stays inside the font.
            let clampedLast = min(last, first + (UInt32(glyphCount) - 1 - glyph))
            if first <= 0xFFFF {
                let bmpLast = min(clampedLast, 0xFFFF)
                budget -= Int(bmpLast - first) + 1
                guard budget >= 0 else { throw .invalidTable("cmap", reason: "format 12 groups overlap excessively") }
                for code in first...bmpLast {
                    basicPlane[Int(code)] = UInt16(glyph + (code - first))
                }
            }
            if clampedLast > 0xFFFF {
                let astralFirst = max(first, 0x1_0000)
                groups.append(Group(first: astralFirst, last: clampedLast, glyph: glyph + (astralFirst - first)))
            }
        }
        groups.sort { $0.first < $1.first }
        astralGroups = groups
    }
}
