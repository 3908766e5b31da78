import CTIFF

/// Decodes the pages of a 1-bit TIFF into packed rows with 1 meaning black, whatever the
/// file's photometric interpretation and fill order (libtiff handles the fill order).
final class BilevelPageReader {
    /// A decoded page: `rows` rows of `(width + 7) / 8` bytes, padding bits cleared.
    struct Page: Equatable {
        var width: Int
        var rows: Int
        var bits: [UInt8]
    }

    /// Why the current directory could not be decoded.
    enum DecodeFailure: Error {
        /// Not 1 bit per pixel.
        case notBilevel(bitsPerPixel: Int)
        /// Zero or absurd dimensions, or a row layout libtiff disagrees with.
        case badDimensions
        /// libtiff failed on this 0-based row (corrupt or truncated data, tiled layout, …).
        case badRow(Int)
    }

    /// Largest page decoded, in pixels per side; guards against hostile headers.
    static let maximumSide = 1 << 16

    private let tiff: OpaquePointer
    private let path: String
    private var pageNumber = 0
    private var exhausted = false

    /// Opens `path` for reading.
    init(path: String) throws(PixelComparisonError) {
        LibTIFFQuiet.ensureSilenced()
        guard let tiff = TIFFOpen(path, "r") else { throw .cannotOpen(path: path) }
        self.tiff = tiff
        self.path = path
    }

    deinit {
        TIFFClose(tiff)
    }

    /// Decodes the next page, or returns `nil` after the last one.
    func next() throws(PixelComparisonError) -> Page? {
        if exhausted { return nil }
        if pageNumber > 0 && TIFFReadDirectory(tiff) != 1 {
            exhausted = true
            return nil
        }
        pageNumber += 1
        let tags = TIFFPageTags(reading: tiff)
        do {
            return try Self.decode(tiff, tags: tags)
        } catch {
            switch error {
            case .notBilevel(let bits): throw .notBilevel(path: path, page: pageNumber, bitsPerPixel: bits)
            case .badDimensions: throw .badDimensions(path: path, page: pageNumber, width: tags.width, rows: tags.length)
            case .badRow(let row): throw .unreadableRow(path: path, page: pageNumber, row: row)
            }
        }
    }

    /// Decodes the directory `tiff` is positioned on, described by `tags`, row by row.
    static func decode(_ tiff: OpaquePointer, tags: TIFFPageTags) throws(DecodeFailure) -> Page {
        guard tags.bitsPerPixel == 1 else { throw .notBilevel(bitsPerPixel: tags.bitsPerPixel) }
        guard (1...maximumSide).contains(tags.width), (1...maximumSide).contains(tags.length) else { throw .badDimensions }
        let rowBytes = (tags.width + 7) / 8
        guard TIFFScanlineSize64(tiff) == Int64(rowBytes) else { throw .badDimensions }
        let invert = tags.photometric == Int(PHOTOMETRIC_MINISBLACK)
        let padMask: UInt8 = tags.width % 8 == 0 ? 0xFF : ~(0xFF >> UInt8(tags.width % 8))
        var bits = [UInt8](repeating: 0, count: rowBytes * tags.length)
        for row in 0..<tags.length {
            let start = row * rowBytes
            let ok = bits.withUnsafeMutableBytes { buffer in
                TIFFReadScanline(tiff, buffer.baseAddress! + start, UInt32(row), 0) == 1
            }
            guard ok else { throw .badRow(row) }
            if invert {
                for index in start..<start + rowBytes { bits[index] = ~bits[index] }
            }
            bits[start + rowBytes - 1] &= padMask
        }
        return Page(width: tags.width, rows: tags.length, bits: bits)
    }
}
