/// A TIFF could not be read for ``TIFFPixelComparison``.
public enum PixelComparisonError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libtiff could not open the file as a TIFF.
    case cannotOpen(path: String)
    /// A page is not a 1-bit bilevel image.
    case notBilevel(path: String, page: Int, bitsPerPixel: Int)
    /// A page has an impossible size.
    case badDimensions(path: String, page: Int, width: Int, rows: Int)
    /// libtiff failed to decode a row.
    case unreadableRow(path: String, page: Int, row: Int)

    /// A plain-English explanation.
    public var reason: String {
        switch self {
        case .cannotOpen(let path):
            "\(path) cannot be opened as a TIFF file"
        case .notBilevel(let path, let page, let bits):
            "page \(page) of \(path) has \(bits) bits per pixel; only 1-bit pages can be compared"
        case .badDimensions(let path, let page, let width, let rows):
            "page \(page) of \(path) is \(width) × \(rows) pixels, which cannot be decoded"
        case .unreadableRow(let path, let page, let row):
            "row \(row) of page \(page) of \(path) could not be decoded"
        }
    }

    public var description: String {
        reason
    }
}
