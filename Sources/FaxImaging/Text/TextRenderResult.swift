/// What rendering a text document produced, apart from the bytes.
public struct TextRenderSummary: Sendable, Equatable {
    /// Pages in the PDF; equals ``TextLayout/pageCount(of:)`` for the same text.
    public var pages: Int
    /// Size of the PDF in bytes.
    public var byteCount: Int
    /// Whether the standard Courier font was used instead of the configured TrueType font.
    public var usedFallbackFont: Bool
    /// Why the fallback font was used (e.g. the font file is missing); `nil` when it was not.
    public var fallbackReason: String?
    /// Characters the font had no glyph for, drawn as U+FFFD (embedded font) or `?` (Courier).
    public var replacedCharacters: Int
}

/// A rendered PDF held in memory.
public struct TextRenderResult: Sendable {
    /// The complete PDF file.
    public var data: [UInt8]
    public var summary: TextRenderSummary

    public var pages: Int { summary.pages }
    public var usedFallbackFont: Bool { summary.usedFallbackFont }
}

/// Why a text document could not be rendered.
public enum TextRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The font file exists but is not a usable TrueType font (truncated, corrupt, CFF, …).
    case invalidFont(path: String, TrueTypeFontError)
    /// The input text file could not be read.
    case unreadableInput(path: String)
    /// The output PDF could not be written.
    case unwritableOutput(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidFont(let path, let error): "font \(path) is unusable: \(error)"
        case .unreadableInput(let path): "cannot read text file \(path)"
        case .unwritableOutput(let path, let reason): "cannot write PDF \(path): \(reason)"
        }
    }
}
