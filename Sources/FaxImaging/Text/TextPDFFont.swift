import Foundation

/// A font the text renderer can draw cells with: it encodes each cell into a PDF show-string
/// and writes its own font objects once the document is done.
protocol TextPDFFont {
    /// Advance width of every cell, in PDF glyph space (1000 units per em).
    var advance: Double { get }
    /// How many characters had no glyph and were drawn as a replacement.
    var replacedCharacters: Int { get }
    /// Appends `cell`'s character code to `hex` as hex digits (inside a `<…>` show-string).
    mutating func appendCode(for cell: Character, to hex: inout [UInt8])
    /// Writes the font's objects; `reference` is the font dictionary the pages name as `/F1`.
    func writeObjects(to writer: inout PDFWriter, reference: PDFObjectReference)
}

/// Uppercase hex digits as ASCII bytes.
let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

/// The one Unicode scalar a cell stands for: its only scalar, its NFC composition, or else its first scalar.
func representativeScalar(of character: Character) -> Unicode.Scalar {
    let scalars = character.unicodeScalars
    let first = scalars.first ?? "?"
    if scalars.index(after: scalars.startIndex) == scalars.endIndex { return first }
    let composed = String(character).precomposedStringWithCanonicalMapping.unicodeScalars
    return composed.count == 1 ? composed.first ?? first : first
}
