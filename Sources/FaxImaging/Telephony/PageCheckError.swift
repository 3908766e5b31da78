/// Why a TIFF-F file cannot be faxed, found by ``T4PageCheck`` before dialling.
public enum PageCheckError: Error, Sendable, Hashable, CustomStringConvertible {
    /// There is no file at the path.
    case fileNotFound(path: String)
    /// The file is not a TIFF that libtiff or spandsp can open for faxing.
    case notAFaxTIFF(path: String, detail: String)
    /// The TIFF holds no pages.
    case noPages(path: String)
    /// A page is not 1 bit per pixel (for example an 8-bit grayscale page).
    case unsupportedBitDepth(page: Int, bitsPerPixel: Int)
    /// A page is not one of the T.30 widths.
    case unsupportedWidth(page: Int, width: Int)
    /// A page has no usable resolution tags.
    case missingResolution(page: Int)
    /// A page's horizontal resolution is not about 204 (or 200) dpi.
    case unsupportedXResolution(page: Int, dpi: Double)
    /// A page's vertical resolution is not about 98/196 (or 100/200) dpi.
    case unsupportedYResolution(page: Int, dpi: Double)
    /// A page has no rows, or far more than a fax page can have.
    case unsupportedLength(page: Int, rows: Int)
    /// spandsp could not decode or encode a page.
    case unreadablePage(page: Int)

    /// The 1-based page the problem is on, when it concerns a single page.
    public var page: Int? {
        switch self {
        case .fileNotFound, .notAFaxTIFF, .noPages:
            nil
        case .unsupportedBitDepth(let page, _), .unsupportedWidth(let page, _), .missingResolution(let page),
            .unsupportedXResolution(let page, _), .unsupportedYResolution(let page, _), .unsupportedLength(let page, _),
            .unreadablePage(let page):
            page
        }
    }

    /// A plain-English explanation naming the page and the offending value.
    public var reason: String {
        switch self {
        case .fileNotFound(let path):
            "the file \(path) does not exist"
        case .notAFaxTIFF(let path, let detail):
            "the file \(path) cannot be opened as a fax TIFF: \(detail)"
        case .noPages(let path):
            "the file \(path) contains no pages"
        case .unsupportedBitDepth(let page, let bits):
            "page \(page) has \(bits) bits per pixel; a fax page must be black and white, 1 bit per pixel"
        case .unsupportedWidth(let page, let width):
            "page \(page) is \(width) pixels wide; a fax page must be \(FaxPageRules.list(FaxPageRules.allowedWidths)) pixels wide"
        case .missingResolution(let page):
            "page \(page) has no resolution in dots per inch or centimetre"
        case .unsupportedXResolution(let page, let dpi):
            "page \(page) has a horizontal resolution of \(Self.format(dpi)) dpi; a fax page must be 204 (or 200) dpi"
        case .unsupportedYResolution(let page, let dpi):
            "page \(page) has a vertical resolution of \(Self.format(dpi)) dpi; a fax page must be 98 or 196 (or 100 or 200) dpi"
        case .unsupportedLength(let page, let rows):
            "page \(page) is \(rows) rows long; a fax page must have between 1 and \(FaxPageRules.maximumRows) rows"
        case .unreadablePage(let page):
            "page \(page) could not be decoded"
        }
    }

    public var description: String {
        reason
    }

    /// Formats a resolution without a trailing ".0" for whole numbers.
    private static func format(_ dpi: Double) -> String {
        let rounded = (dpi * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
