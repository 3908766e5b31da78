/// Why a TrueType font file could not be used.
public enum TrueTypeFontError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String)
    /// A read of `length` bytes at `offset` ran past the end of the data (a truncated file or a bad offset).
    case truncated(offset: Int, length: Int)
    /// The data is not a TrueType (glyf-outline) font; the tag found is given. OpenType/CFF and collections are not supported.
    case notTrueType(tag: String)
    /// A table the font needs is absent.
    case missingTable(String)
    /// A table is present but its contents make no sense.
    case invalidTable(String, reason: String)
    /// The font has no Unicode `cmap` subtable of format 4 or 12.
    case noUnicodeCharacterMap

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read font file \(path)"
        case .truncated(let offset, let length): "font data truncated: \(length) bytes at offset \(offset) are out of range"
        case .notTrueType(let tag): "not a TrueType font (sfnt version \(tag))"
        case .missingTable(let tag): "font has no '\(tag)' table"
        case .invalidTable(let tag, let reason): "invalid '\(tag)' table: \(reason)"
        case .noUnicodeCharacterMap: "font has no Unicode cmap subtable (format 4 or 12)"
        }
    }
}
