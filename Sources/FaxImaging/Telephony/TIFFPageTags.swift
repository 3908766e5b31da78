import CTIFF

/// The baseline tags of one TIFF directory (page), read with libtiff.
struct TIFFPageTags: Sendable, Hashable {
    var width: Int
    var length: Int
    var bitsPerSample: Int
    var samplesPerPixel: Int
    /// `PHOTOMETRIC_MINISWHITE` (0) or `PHOTOMETRIC_MINISBLACK` (1) for bilevel pages; `nil` when absent.
    var photometric: Int?
    /// Horizontal resolution in dpi, or `nil` when missing or unit-less.
    var xDPI: Double?
    /// Vertical resolution in dpi, or `nil` when missing or unit-less.
    var yDPI: Double?

    /// Bits per pixel across all samples.
    var bitsPerPixel: Int {
        bitsPerSample * samplesPerPixel
    }

    /// Reads the tags of the directory `tiff` is positioned on.
    init(reading tiff: OpaquePointer) {
        var u32: UInt32 = 0
        var u16: UInt16 = 0
        width = ctiff_get_u32(tiff, UInt32(TIFFTAG_IMAGEWIDTH), &u32) == 1 ? Int(u32) : 0
        u32 = 0
        length = ctiff_get_u32(tiff, UInt32(TIFFTAG_IMAGELENGTH), &u32) == 1 ? Int(u32) : 0
        bitsPerSample = ctiff_get_u16_defaulted(tiff, UInt32(TIFFTAG_BITSPERSAMPLE), &u16) == 1 ? Int(u16) : 1
        u16 = 0
        samplesPerPixel = ctiff_get_u16_defaulted(tiff, UInt32(TIFFTAG_SAMPLESPERPIXEL), &u16) == 1 ? Int(u16) : 1
        u16 = 0
        photometric = ctiff_get_u16(tiff, UInt32(TIFFTAG_PHOTOMETRIC), &u16) == 1 ? Int(u16) : nil
        u16 = 0
        let unit = ctiff_get_u16_defaulted(tiff, UInt32(TIFFTAG_RESOLUTIONUNIT), &u16) == 1 ? Int32(u16) : RESUNIT_INCH
        let perInch: Double? =
            switch unit {
            case RESUNIT_INCH: 1
            case RESUNIT_CENTIMETER: 2.54
            default: nil
            }
        xDPI = Self.resolution(tiff, tag: TIFFTAG_XRESOLUTION, scale: perInch)
        yDPI = Self.resolution(tiff, tag: TIFFTAG_YRESOLUTION, scale: perInch)
    }

    private static func resolution(_ tiff: OpaquePointer, tag: Int32, scale: Double?) -> Double? {
        var value: Float = 0
        guard let scale, ctiff_get_float(tiff, UInt32(tag), &value) == 1, value.isFinite, value > 0 else { return nil }
        return Double(value) * scale
    }
}
