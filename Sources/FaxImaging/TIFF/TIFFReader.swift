import CTIFF
import Foundation

/// Reads a multi-page TIFF with libtiff, defensively: every problem is a `DocumentRejection`.
///
/// Not thread-safe: one reader belongs to one thread (libtiff handles must not be shared).
public final class TIFFReader {
    /// More pages than any fax: a file claiming more is hostile or broken.
    public static let maxPages = 1000
    /// Bounds a single page's decoded size (a decompression bomb is refused before allocating).
    public static let maxPixelsPerPage = 200_000_000

    public let pageCount: Int
    private let handle: OpaquePointer
    private let errors: TIFFErrorLog
    var tiffHandle: OpaquePointer { handle }
    var tiffErrors: TIFFErrorLog { errors }

    public init(path: String) throws(DocumentRejection) {
        LibTIFFQuiet.ensureSilenced()
        let errors = TIFFErrorLog()
        guard let handle = errors.open(path, mode: "r") else {
            throw DocumentRejection("the TIFF file cannot be read: \(errors.summary("not a TIFF file"))")
        }
        // Counting stops at the first unreadable directory or loop; libtiff 4.5 detects IFD loops.
        var pages = 1
        while pages <= Self.maxPages, TIFFReadDirectory(handle) == 1 { pages += 1 }
        guard pages <= Self.maxPages else {
            TIFFClose(handle)
            throw DocumentRejection("the TIFF file has more than \(Self.maxPages) pages")
        }
        self.handle = handle
        self.errors = errors
        self.pageCount = pages
    }

    deinit { TIFFClose(handle) }

    /// The tags of page `index` (0-based).
    public func info(page index: Int) throws(DocumentRejection) -> TIFFPageInfo {
        guard index >= 0, index < pageCount, TIFFSetDirectory(handle, UInt32(index)) == 1 else {
            throw DocumentRejection("page \(index + 1) of the TIFF file cannot be read: \(errors.summary("bad directory"))")
        }
        var width: UInt32 = 0
        var height: UInt32 = 0
        _ = ctiff_get_u32(handle, UInt32(TIFFTAG_IMAGEWIDTH), &width)
        _ = ctiff_get_u32(handle, UInt32(TIFFTAG_IMAGELENGTH), &height)
        var bits: UInt16 = 1
        var samples: UInt16 = 1
        var photometric: UInt16 = 0
        var compression: UInt16 = 1
        var fillOrder: UInt16 = 1
        var unit: UInt16 = UInt16(RESUNIT_INCH)
        _ = ctiff_get_u16_defaulted(handle, UInt32(TIFFTAG_BITSPERSAMPLE), &bits)
        _ = ctiff_get_u16_defaulted(handle, UInt32(TIFFTAG_SAMPLESPERPIXEL), &samples)
        _ = ctiff_get_u16(handle, UInt32(TIFFTAG_PHOTOMETRIC), &photometric)
        _ = ctiff_get_u16_defaulted(handle, UInt32(TIFFTAG_COMPRESSION), &compression)
        _ = ctiff_get_u16_defaulted(handle, UInt32(TIFFTAG_FILLORDER), &fillOrder)
        _ = ctiff_get_u16_defaulted(handle, UInt32(TIFFTAG_RESOLUTIONUNIT), &unit)
        var subfile: UInt32 = 0
        _ = ctiff_get_u32(handle, UInt32(TIFFTAG_SUBFILETYPE), &subfile)
        var info = TIFFPageInfo(
            index: index, width: Int(width), height: Int(height), bitsPerSample: Int(bits), samplesPerPixel: Int(samples),
            photometric: Int(photometric), compression: Int(compression), fillOrder: Int(fillOrder), subfileType: Int(subfile),
            isTiled: TIFFIsTiled(handle) != 0
        )
        let scale: Double? =
            switch Int32(unit) {
            case RESUNIT_INCH: 1
            case RESUNIT_CENTIMETER: 2.54
            default: nil
            }
        var x: Float = 0
        var y: Float = 0
        if let scale, ctiff_get_float(handle, UInt32(TIFFTAG_XRESOLUTION), &x) == 1, x.isFinite, x > 0 { info.xResolution = Double(x) * scale }
        if let scale, ctiff_get_float(handle, UInt32(TIFFTAG_YRESOLUTION), &y) == 1, y.isFinite, y > 0 { info.yResolution = Double(y) * scale }
        var page: UInt16 = 0
        var total: UInt16 = 0
        if ctiff_get_u16_pair(handle, UInt32(TIFFTAG_PAGENUMBER), &page, &total) == 1 { info.pageNumber = (Int(page), Int(total)) }
        return info
    }

    /// Decodes page `index` of a 1-bit file. Resolutions missing from the file default to fax fine.
    public func readBilevel(page index: Int) throws(DocumentRejection) -> BilevelImage {
        let info = try info(page: index)
        let number = index + 1
        guard info.isBilevel else {
            throw DocumentRejection(
                "page \(number) is grayscale or colour (\(info.bitsPerSample * info.samplesPerPixel) bits per pixel); "
                    + "a TIFF must be black and white (1 bit per pixel) to be faxed; send a PDF instead")
        }
        guard info.width > 0, info.height > 0 else { throw DocumentRejection("page \(number) of the TIFF file has no pixels") }
        guard info.width * info.height <= Self.maxPixelsPerPage else {
            throw DocumentRejection("page \(number) is \(info.width) × \(info.height) pixels, far larger than any fax page")
        }
        guard !info.isTiled else { throw DocumentRejection("page \(number) is a tiled TIFF, which fax files never are") }
        var image = BilevelImage(
            width: info.width, height: info.height, xResolution: info.xResolution ?? FaxGeometry.horizontalDPI,
            yResolution: info.yResolution ?? 196
        )
        let rowBytes = image.rowBytes
        let scanline = Int(TIFFScanlineSize64(handle))
        guard scanline >= rowBytes else { throw DocumentRejection("page \(number) of the TIFF file has inconsistent row sizes") }
        var row = [UInt8](repeating: 0, count: scanline)
        // WhiteIsZero (fax) stores black as 1; BlackIsZero must be inverted.
        let invert = info.photometric == Int(PHOTOMETRIC_MINISBLACK)
        for y in 0..<info.height {
            guard TIFFReadScanline(handle, &row, UInt32(y), 0) == 1 else {
                throw DocumentRejection("row \(y + 1) of page \(number) cannot be decoded: \(errors.summary("damaged data"))")
            }
            let base = y * rowBytes
            for i in 0..<rowBytes { image.bits[base + i] = invert ? ~row[i] : row[i] }
            // Padding bits beyond the width stay white.
            if info.width % 8 != 0 { image.bits[base + rowBytes - 1] &= UInt8(0xFF << (8 - info.width % 8) & 0xFF) }
        }
        return image
    }
}

extension TIFFReader {
    /// The compressed bytes of a page stored as one T.6 (MMR) strip, most significant bit first,
    /// as PDF's CCITTFaxDecode filter takes them. Nil when the page is stored any other way.
    public func rawMMRStrip(page index: Int) throws(DocumentRejection) -> [UInt8]? {
        let info = try info(page: index)
        guard info.compression == Int(COMPRESSION_CCITTFAX4), TIFFNumberOfStrips(tiffHandle) == 1 else { return nil }
        let size = Int(TIFFRawStripSize64(tiffHandle, 0))
        guard size > 0, size <= 64 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        guard TIFFReadRawStrip(tiffHandle, 0, &bytes, tmsize_t(size)) == size else {
            throw DocumentRejection("page \(index + 1) of the TIFF file cannot be read: \(tiffErrors.summary("short strip"))")
        }
        if info.fillOrder == Int(FILLORDER_LSB2MSB) { TIFFReverseBits(&bytes, tmsize_t(size)) }
        return bytes
    }
}
