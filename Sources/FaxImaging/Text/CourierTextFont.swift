/// The standard 14 font Courier with `/WinAnsiEncoding`, used when no TrueType font is available.
///
/// Nothing is embedded. Characters outside Windows-1252 are drawn as `?`.
struct CourierTextFont: TextPDFFont {
    let advance: Double = 600
    private(set) var replacedCharacters = 0

    mutating func appendCode(for cell: Character, to hex: inout [UInt8]) {
        let code: UInt8
        if let ascii = cell.asciiValue {
            code = ascii
        } else if let mapped = Self.winAnsiCode(for: representativeScalar(of: cell)) {
            code = mapped
        } else {
            replacedCharacters += 1
            code = UInt8(ascii: "?")
        }
        hex.append(hexDigits[Int(code >> 4)])
        hex.append(hexDigits[Int(code & 0xF)])
    }

    func writeObjects(to writer: inout PDFWriter, reference: PDFObjectReference) {
        writer.writeObject(reference, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    }

    /// The Windows-1252 (PDF WinAnsiEncoding) code for `scalar`, if it has one.
    static func winAnsiCode(for scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: UInt8(scalar.value)
        default: windows1252High[scalar.value]
        }
    }

    /// Windows-1252 codes 0x80–0x9F, which are not Latin-1.
    private static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
