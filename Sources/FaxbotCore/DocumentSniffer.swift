/// Decides what a document is from its bytes, never from its name or Content-Type.
///
/// PDF: starts with `%PDF-` (after at most 1 KiB of leading bytes, as readers allow).
/// TIFF: starts with `II*\0` or `MM\0*`.
/// Text: valid UTF-8 with no NUL and no control characters other than tab, CR, LF and form feed.
/// PostScript (`%!PS`) is refused by name: faxing its source text is never what the sender meant.
public struct DocumentSniffer: Sendable {
    public enum Verdict: Equatable, Sendable {
        case kind(DocumentKind)
        case empty
        case unsupported
        case postScript
    }

    private var prefix: [UInt8] = []
    private var sawPDFMarker = false
    private var textPossible = true
    private var utf8 = UTF8Validator()
    private var total = 0

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            total += 1
            if prefix.count < 1029 {
                prefix.append(byte)
                if !sawPDFMarker, prefix.count >= 5, Array(prefix.suffix(5)) == Self.pdfMarker { sawPDFMarker = true }
            }
            if textPossible {
                if byte == 0 || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C) || byte == 0x7F {
                    textPossible = false
                } else if !utf8.feed(byte) {
                    textPossible = false
                }
            }
        }
    }

    public var verdict: Verdict {
        if total == 0 { return .empty }
        if sawPDFMarker { return .kind(.pdf) }
        if prefix.starts(with: [0x49, 0x49, 0x2A, 0x00]) || prefix.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .kind(.tiff) }
        if prefix.starts(with: Array("%!".utf8)) { return .postScript }
        if textPossible, utf8.isComplete { return .kind(.text) }
        return .unsupported
    }

    private static let pdfMarker: [UInt8] = Array("%PDF-".utf8)
}

/// An incremental UTF-8 validator, so a character split across chunks is not mistaken for binary.
struct UTF8Validator: Sendable {
    private var remaining = 0
    private var lowerBound: UInt8 = 0x80
    private var upperBound: UInt8 = 0xBF

    var isComplete: Bool { remaining == 0 }

    mutating func feed(_ byte: UInt8) -> Bool {
        if remaining > 0 {
            guard byte >= lowerBound, byte <= upperBound else { return false }
            remaining -= 1
            lowerBound = 0x80
            upperBound = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: remaining = 1
        case 0xE0:
            remaining = 2
            lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED:
            remaining = 2
            upperBound = 0x9F
        case 0xF0:
            remaining = 3
            lowerBound = 0x90
        case 0xF1...0xF3: remaining = 3
        case 0xF4:
            remaining = 3
            upperBound = 0x8F
        default: return false
        }
        return true
    }
}
